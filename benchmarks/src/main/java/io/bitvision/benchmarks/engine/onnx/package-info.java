/** Float ONNX models of single convolutions, written without the ONNX library, for the ONNX Runtime side of {@code bench engine}. */
package io.bitvision.benchmarks.engine.onnx;
