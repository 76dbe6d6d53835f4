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

    /**
     * Threshold output transform for one row: output bit of channel o at x is
     * {@code ((limits[o*levels + i] - acc[o][x]) >>> 63) ^ inverts[o*levels + i]} for binary outputs
     * ({@code levels == 1}); for k-bit outputs the value is the sum of that expression over the channel's levels,
     * written to the k bit-planes.
     */
    void thresholdRow(long[] acc, int width, long[] limits, long[] inverts, int levels, BitTensor out, int y);

    /** One output row of a depthwise threshold layer (bit-sliced counters, see {@link DepthwiseThresholdKernel}). */
    default void depthwiseRow(DepthwiseThresholdKernel layer, BitTensor in, BitTensor out, int y, long[] scratch) {
        layer.forwardRow(in, out, y, scratch);
    }

    KernelStrategy strategy();
}
