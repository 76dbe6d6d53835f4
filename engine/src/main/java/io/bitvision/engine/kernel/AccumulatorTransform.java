package io.bitvision.engine.kernel;

import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.FloatTensor;
import io.bitvision.engine.tensor.IntTensor;
import io.bitvision.engine.tensor.Tensor;

/**
 * An {@link OutputTransform} moved from the dot domain to the accumulator domain, once at model load.
 *
 * <p>Kernels produce per output value the mismatch count {@code R = sum_j 2^j * popcount(plane_j XOR w)}. The dot
 * product is {@code base[o] - (R << shift)}: for binary activations base = number of weight bits and shift = 1
 * (dot = K - 2 * popcount); for k-bit unsigned activations base = (2^k - 1) * (number of +1 weights), the
 * weight-only correction term, and shift = 0. A threshold on the dot becomes a threshold on R, so applying it
 * costs a subtraction, a shift and an XOR: no multiply.
 */
public final class AccumulatorTransform {
    private final OutputTransform transform;
    private final int shift;
    private final long[] base;
    /** Per comparison: bit = ((limit - R) >>> 63) ^ invert, i.e. R <= limit when invert = 1. */
    private final long[] limits;
    private final long[] inverts;
    private final int levels;

    public AccumulatorTransform(OutputTransform transform, long[] base, int shift) {
        this.transform = transform;
        this.base = base.clone();
        this.shift = shift;
        int channels = transform.channels();
        if (base.length != channels) {
            throw new IllegalArgumentException("base for " + base.length + " channels, transform for " + channels);
        }
        switch (transform) {
            case OutputTransform.BinaryThreshold t -> {
                levels = 1;
                limits = new long[channels];
                inverts = new long[channels];
                for (int o = 0; o < channels; o++) {
                    setLimit(o, base[o], t.thresholds()[o], t.descending()[o]);
                }
            }
            case OutputTransform.MultiThreshold t -> {
                levels = OutputTransform.MultiThreshold.levels(t.bits());
                limits = new long[channels * levels];
                inverts = new long[channels * levels];
                for (int o = 0; o < channels; o++) {
                    for (int i = 0; i < levels; i++) {
                        setLimit(o * levels + i, base[o], t.thresholds()[o * levels + i], t.descending()[o]);
                    }
                }
            }
            default -> {
                levels = 0;
                limits = new long[0];
                inverts = new long[0];
            }
        }
    }

    private void setLimit(int slot, long channelBase, int threshold, boolean descending) {
        long a = channelBase - threshold;
        if (!descending) {
            // dot >= t  <=>  R << shift <= base - t  <=>  R <= floor((base - t) / 2^shift)
            limits[slot] = a >> shift;
            inverts[slot] = 1;
        } else {
            // dot <= t  <=>  R >= ceil((base - t) / 2^shift)  <=>  not (R <= ceil(...) - 1)
            limits[slot] = -((-a) >> shift) - 1;
            inverts[slot] = 0;
        }
    }

    /** The depthwise bit-sliced kernel for this transform, or null when the layer is not depthwise-threshold. */
    public DepthwiseThresholdKernel depthwiseKernel(BinaryConvWeights weights, int inputBits) {
        if (!DepthwiseThresholdKernel.supports(weights.geometry(), transform)) {
            return null;
        }
        return new DepthwiseThresholdKernel(weights, inputBits, limits, inverts, levels);
    }

    public OutputTransform transform() {
        return transform;
    }

    /** Comparisons per output channel: 1 for binary outputs, 2^k - 1 for k-bit, 0 for int and float outputs. */
    public int levels() {
        return levels;
    }

    /** Per comparison [channel][level], the limit on the mismatch count R; a copy. */
    public long[] limits() {
        return limits.clone();
    }

    /** Per comparison, 1 when the output bit is R <= limit and 0 when it is R > limit; a copy. */
    public long[] inverts() {
        return inverts.clone();
    }

    /** Writes output row {@code y} from accumulators laid out [channel][x] with row length {@code width}. */
    public void applyRow(long[] acc, int width, int y, Tensor out, ConvKernel kernel) {
        switch (out) {
            case BitTensor bits -> kernel.thresholdRow(acc, width, limits, inverts, levels, bits, y);
            case IntTensor ints -> intRow(acc, width, y, ints);
            case FloatTensor floats -> floatRow(acc, width, y, floats);
        }
    }

    /**
     * For int32-output layers, per channel the int32 value of a zero mismatch count ({@code base + bias}): the value is
     * {@code offset - (R << shift())} with int32 wrap-around, as {@link #toIntValues} computes it.
     */
    public int[] intOffsets() {
        int[] bias = ((OutputTransform.IntBias) transform).bias();
        int[] offsets = new int[bias.length];
        for (int o = 0; o < bias.length; o++) {
            offsets[o] = (int) (base[o] + bias[o]);
        }
        return offsets;
    }

    /** How far the mismatch count is shifted before it is subtracted: 1 for binary inputs, 0 for k-bit. */
    public int shift() {
        return shift;
    }

    /**
     * For int32-output layers: replaces each mismatch count {@code acc[o * width + x]} of a row by the layer's int32
     * output value, the value {@link #applyRow} would store.
     */
    public void toIntValues(long[] acc, int width) {
        int[] bias = ((OutputTransform.IntBias) transform).bias();
        for (int o = 0; o < bias.length; o++) {
            long offset = base[o] + bias[o];
            int from = o * width;
            for (int i = from; i < from + width; i++) {
                acc[i] = (int) (offset - (acc[i] << shift));
            }
        }
    }

    private void intRow(long[] acc, int width, int y, IntTensor out) {
        int[] bias = ((OutputTransform.IntBias) transform).bias();
        int[] dst = out.data();
        for (int o = 0; o < out.spec().channels(); o++) {
            long offset = base[o] + bias[o];
            int row = out.index(o, y, 0);
            int src = o * width;
            for (int x = 0; x < width; x++) {
                dst[row + x] = (int) (offset - (acc[src + x] << shift));
            }
        }
    }

    private void floatRow(long[] acc, int width, int y, FloatTensor out) {
        OutputTransform.FloatAffine affine = (OutputTransform.FloatAffine) transform;
        float[] dst = out.data();
        for (int o = 0; o < out.spec().channels(); o++) {
            long channelBase = base[o];
            float scale = affine.scale()[o];
            float bias = affine.bias()[o];
            int row = out.index(o, y, 0);
            int src = o * width;
            for (int x = 0; x < width; x++) {
                dst[row + x] = (channelBase - (acc[src + x] << shift)) * scale + bias;
            }
        }
    }
}
