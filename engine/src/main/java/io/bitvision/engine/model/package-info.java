/**
 * The model: an immutable graph with its weights, and our versioned file format (see docs/model-format.md)
 * with a writer, a bounded reader and the typed exceptions a malformed file gets.
 */
package io.bitvision.engine.model;
