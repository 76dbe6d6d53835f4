/**
 * Operators, the static graph and its memory plan. Each operator is immutable: its weights are shared by
 * every engine instance; all mutable state lives in the engine's arena.
 */
package io.bitvision.engine.graph;
