package io.bitvision.engine.kernel;

import io.bitvision.engine.tensor.BitTensor;

/**
 * Computes one output row of mismatch counts {@code R[o][x] = sum_j 2^j * sum_taps popcount((plane_j XOR w) & mask)}
 * for every output channel. Implementations must agree bit for bit; they differ only in speed.
 */
public interface ConvKernel {
    /**
     * @param input  bit tensor whose halo covers the convolution's padding
     * @param outY   output row
     * @param outW   output row length
     * @param acc    accumulators, laid out [out channel][x], at least outChannels * outW long
     */
    void accumulateRow(BitTensor input, BinaryConvWeights weights, int outY, int outW, long[] acc);

    KernelStrategy strategy();
}
