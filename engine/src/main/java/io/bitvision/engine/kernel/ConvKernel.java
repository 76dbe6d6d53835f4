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

    /**
     * {@code dst[to + x] = ((0 + w[wFrom] * src[x]) + w[wFrom + 1] * src[width + x] + ...) + bias} over
     * {@code count} input rows of {@code width} floats, for x in [0, width): a multiply then an add per term, in
     * input order, so every kernel rounds as the scalar loop does. Float heads run rows of 24-96 pixels; C2's
     * unrolled vector loop does not start on rows that short, so the vector kernels write this with the Vector API.
     */
    default void weightedSumRow(float[] w, int wFrom, int count, float[] src, int width, float bias, float[] dst, int to) {
        for (int x = 0; x < width; x++) {
            float sum = 0f;
            for (int c = 0; c < count; c++) {
                sum += w[wFrom + c] * src[c * width + x];
            }
            dst[to + x] = sum + bias;
        }
    }

    KernelStrategy strategy();
}
