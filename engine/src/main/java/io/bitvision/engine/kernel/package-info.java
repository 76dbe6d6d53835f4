/**
 * The maths: binary convolution in its two operation modes, the output transforms that turn accumulators into
 * bits or integers, and the kernel selector. A plain reference lives in {@code io.bitvision.engine.reference};
 * the scalar and Vector API kernels here must equal it bit for bit.
 */
package io.bitvision.engine.kernel;
