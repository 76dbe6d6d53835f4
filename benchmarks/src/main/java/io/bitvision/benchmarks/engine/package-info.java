/** {@code bench engine}: JMH benchmarks of the engine's layers (binary and bit-serial, vector and scalar kernels) against ONNX Runtime float convolutions of the same shapes, measured in one run ({@link io.bitvision.benchmarks.engine.BenchMain}). */
package io.bitvision.benchmarks.engine;
