/**
 * The binarized inference engine: public entry points {@link io.bitvision.engine.InferenceEngine} and
 * {@link io.bitvision.engine.model.Model}. Pure Java, no Flink; everything else in bitvision depends on it.
 */
package io.bitvision.engine;
