package io.bitvision.engine.kernel;

import io.bitvision.engine.tensor.BitPacking;
import io.bitvision.engine.tensor.BitTensor;

/**
 * Depthwise convolution (one input channel per output channel) with threshold outputs, computed 64 channels at
 * a time with bit-sliced counters: the XOR mismatches of each tap are added into a vertical counter whose plane
 * p holds bit p of every channel's count, and the thresholds are compared bit-sliced as well. Per word of 64
 * channels the work is a few XOR/AND operations per tap and counter plane; nothing is unpacked per channel.
 * The loops run along pixels over plain arrays, so C2 vectorises them; one implementation serves both kernel
 * strategies.
 */
public final class DepthwiseThresholdKernel {
    private final ConvGeometry geometry;
    private final int inputBits;
    private final int counterPlanes;
    private final int levels;
    private final int channelWords;
    /** [tap][word]: bit c = weight bit of channel c at that tap. */
    private final long[] tapWeights;
    /** [level][word][plane]: bit c = bit `plane` of channel c's clamped limit. */
    private final long[] limitPlanes;
    /** [level][word]: channels whose limit is negative, so R > limit always. */
    private final long[] alwaysGreater;
    /** [word]: channels whose output bit is (R <= limit) rather than (R > limit). */
    private final long[] invertMasks;

    /** Whether this kernel can run the layer: depthwise, threshold outputs. */
    public static boolean supports(ConvGeometry g, OutputTransform transform) {
        return g.groups() == g.inChannels() && g.outChannels() == g.inChannels()
                && (transform instanceof OutputTransform.BinaryThreshold || transform instanceof OutputTransform.MultiThreshold);
    }

    DepthwiseThresholdKernel(BinaryConvWeights weights, int inputBits, long[] limits, long[] inverts, int levels) {
        this.geometry = weights.geometry();
        this.inputBits = inputBits;
        this.levels = levels;
        int channels = geometry.outChannels();
        int taps = geometry.taps();
        channelWords = BitPacking.words(channels);
        long maxCount = ((1L << inputBits) - 1) * taps;
        counterPlanes = 64 - Long.numberOfLeadingZeros(maxCount);
        long maxCounter = (1L << counterPlanes) - 1;

        tapWeights = new long[taps * channelWords];
        for (int c = 0; c < channels; c++) {
            for (int tap = 0; tap < taps; tap++) {
                if (weights.sign(c, tap / geometry.kernelW(), tap % geometry.kernelW(), 0) > 0) {
                    tapWeights[tap * channelWords + (c >>> 6)] |= 1L << (c & 63);
                }
            }
        }
        limitPlanes = new long[levels * channelWords * counterPlanes];
        alwaysGreater = new long[levels * channelWords];
        invertMasks = new long[channelWords];
        for (int c = 0; c < channels; c++) {
            long bit = 1L << (c & 63);
            int word = c >>> 6;
            if (inverts[c * levels] == 1) {
                invertMasks[word] |= bit;
            }
            for (int level = 0; level < levels; level++) {
                long limit = limits[c * levels + level];
                if (limit < 0) {
                    alwaysGreater[level * channelWords + word] |= bit;
                    continue;
                }
                long clamped = Math.min(limit, maxCounter);
                for (int p = 0; p < counterPlanes; p++) {
                    if (((clamped >>> p) & 1) != 0) {
                        limitPlanes[(level * channelWords + word) * counterPlanes + p] |= bit;
                    }
                }
            }
        }
    }

    ConvGeometry geometry() {
        return geometry;
    }

    int inputBits() {
        return inputBits;
    }

    int counterPlanes() {
        return counterPlanes;
    }

    int levels() {
        return levels;
    }

    int channelWords() {
        return channelWords;
    }

    long[] tapWeights() {
        return tapWeights;
    }

    long[] limitPlanes() {
        return limitPlanes;
    }

    long[] alwaysGreater() {
        return alwaysGreater;
    }

    long[] invertMasks() {
        return invertMasks;
    }

    /**
     * longs of scratch for one output row of this width: counter planes, carry and bit rows, and eight vectors of
     * up to 8 longs (512 bits) that the vector kernel keeps beside its counters.
     */
    public long scratchLongs(int outW) {
        return (long) (counterPlanes + 2) * outW + 8L * 8;
    }

    public void forwardRow(BitTensor in, BitTensor out, int y, long[] scratch) {
        forwardColumns(in, out, y, 0, out.spec().width(), scratch);
    }

    /** Output columns [fromX, toX) of row y; scratch holds (counter planes + 2) rows of toX - fromX longs. */
    public void forwardColumns(BitTensor in, BitTensor out, int y, int fromX, int toX, long[] scratch) {
        ConvGeometry g = geometry;
        int count = toX - fromX;
        long[] src = in.data();
        long[] dst = out.data();
        int carryAt = counterPlanes * count;
        int bitAt = carryAt + count;
        int stride = g.strideW();
        for (int word = 0; word < channelWords; word++) {
            java.util.Arrays.fill(scratch, 0, carryAt, 0L);
            long reach = 0; // largest count so far: carries never pass its top bit
            for (int plane = 0; plane < inputBits; plane++) {
                for (int tap = 0; tap < g.taps(); tap++) {
                    int ky = tap / g.kernelW();
                    int kx = tap - ky * g.kernelW();
                    int at = in.index(plane, word, y * g.strideH() - g.padH() + ky * g.dilationH(),
                            fromX * stride - g.padW() + kx * g.dilationW());
                    long w = tapWeights[tap * channelWords + word];
                    if (stride == 1) {
                        for (int x = 0; x < count; x++) {
                            scratch[carryAt + x] = src[at + x] ^ w;
                        }
                    } else {
                        for (int x = 0; x < count; x++) {
                            scratch[carryAt + x] = src[at + x * stride] ^ w;
                        }
                    }
                    reach += 1L << plane;
                    int top = 63 - Long.numberOfLeadingZeros(reach);
                    for (int p = plane; p <= top; p++) {
                        int row = p * count;
                        for (int x = 0; x < count; x++) {
                            long counter = scratch[row + x];
                            long carry = scratch[carryAt + x];
                            scratch[row + x] = counter ^ carry;
                            scratch[carryAt + x] = counter & carry;
                        }
                    }
                }
            }
            if (levels == 1) {
                compare(scratch, count, 0, word, bitAt);
                int row = out.index(0, word, y, fromX);
                long invert = invertMasks[word];
                for (int x = 0; x < count; x++) {
                    dst[row + x] = scratch[bitAt + x] ^ invert;
                }
            } else {
                writeLevels(scratch, out, word, y, fromX, count, carryAt, bitAt);
            }
        }
    }

    /** scratch[bitAt + x] = bit-sliced (count > limit) for one level, 64 channels per word. */
    private void compare(long[] scratch, int outW, int level, int word, int bitAt) {
        int limitAt = (level * channelWords + word) * counterPlanes;
        long force = alwaysGreater[level * channelWords + word];
        for (int x = 0; x < outW; x++) {
            long greater = 0;
            long equal = -1L;
            for (int p = counterPlanes - 1; p >= 0; p--) {
                long count = scratch[p * outW + x];
                long limit = limitPlanes[limitAt + p];
                greater |= equal & count & ~limit;
                equal &= ~(count ^ limit);
            }
            scratch[bitAt + x] = greater | force;
        }
    }

    /** k-bit outputs: the value is how many levels pass; summed bit-sliced straight into the output planes. */
    private void writeLevels(long[] scratch, BitTensor out, int word, int y, int fromX, int outW, int carryAt, int bitAt) {
        long[] dst = out.data();
        int outPlanes = out.spec().bits();
        int row = out.index(0, word, y, fromX);
        int planeStride = out.planeStride();
        for (int p = 0; p < outPlanes; p++) {
            java.util.Arrays.fill(dst, row + p * planeStride, row + p * planeStride + outW, 0L);
        }
        long invert = invertMasks[word];
        for (int level = 0; level < levels; level++) {
            compare(scratch, outW, level, word, bitAt);
            int top = 63 - Long.numberOfLeadingZeros(level + 1);
            for (int x = 0; x < outW; x++) {
                scratch[carryAt + x] = scratch[bitAt + x] ^ invert;
            }
            for (int p = 0; p <= top; p++) {
                int at = row + p * planeStride;
                for (int x = 0; x < outW; x++) {
                    long value = dst[at + x];
                    long carry = scratch[carryAt + x];
                    dst[at + x] = value ^ carry;
                    scratch[carryAt + x] = value & carry;
                }
            }
        }
    }
}
