/** Per-camera inference: frames through the engine, instances out, tracked. Flink glue sits beside it. */
package io.bitvision.operators.inference;
