package io.bitvision.engine.kernel;

import io.bitvision.engine.tensor.TensorSpec;

/**
 * What a layer does with its integer dot products, per output channel, in the dot domain (the exact sum of
 * weight x activation). Batch norm, scales and biases are folded into these numbers by the exporter, so that
 * binarized layers need only compares and additions at inference. Only {@link FloatAffine} multiplies: it is
 * meant for the last projection of a head.
 */
public sealed interface OutputTransform {
    int channels();

    TensorSpec outputSpec(int height, int width);

    /**
     * Binary output: bit = dot >= threshold, or dot <= threshold where {@code descending} (a negative folded
     * batch-norm scale flips the comparison).
     */
    record BinaryThreshold(int[] thresholds, boolean[] descending) implements OutputTransform {
        public BinaryThreshold {
            if (thresholds.length != descending.length) {
                throw new IllegalArgumentException("thresholds and directions differ in length");
            }
        }

        @Override
        public int channels() {
            return thresholds.length;
        }

        @Override
        public TensorSpec outputSpec(int height, int width) {
            return TensorSpec.bits(1, channels(), height, width);
        }
    }

    /**
     * k-bit unsigned output: value = how many of the channel's 2^k - 1 thresholds the dot reaches (dot >= t, or
     * dot <= t where descending). Layout of {@code thresholds}: channel-major, 2^k - 1 per channel.
     */
    record MultiThreshold(int bits, int[] thresholds, boolean[] descending) implements OutputTransform {
        public MultiThreshold {
            if (bits < 2 || bits > TensorSpec.MAX_BITS) {
                throw new IllegalArgumentException("multi-threshold output needs 2.." + TensorSpec.MAX_BITS + " bits, not " + bits);
            }
            if (thresholds.length != descending.length * levels(bits)) {
                throw new IllegalArgumentException("expected " + levels(bits) + " thresholds per channel");
            }
        }

        public static int levels(int bits) {
            return (1 << bits) - 1;
        }

        @Override
        public int channels() {
            return descending.length;
        }

        @Override
        public TensorSpec outputSpec(int height, int width) {
            return TensorSpec.bits(bits, channels(), height, width);
        }
    }

    /** int32 output: dot + bias. */
    record IntBias(int[] bias) implements OutputTransform {
        @Override
        public int channels() {
            return bias.length;
        }

        @Override
        public TensorSpec outputSpec(int height, int width) {
            return TensorSpec.int32(channels(), height, width);
        }
    }

    /** float32 output: dot * scale + bias. The float tail of a head. */
    record FloatAffine(float[] scale, float[] bias) implements OutputTransform {
        public FloatAffine {
            if (scale.length != bias.length) {
                throw new IllegalArgumentException("scale and bias differ in length");
            }
        }

        @Override
        public int channels() {
            return scale.length;
        }

        @Override
        public TensorSpec outputSpec(int height, int width) {
            return TensorSpec.float32(channels(), height, width);
        }
    }
}
