package io.bitvision.engine.kernel;

import io.bitvision.engine.tensor.BitTensor;

/** Portable kernel for every geometry: grouped, strided, dilated. The JIT vectorises parts of it on JDK 25. */
public final class ScalarConvKernel implements ConvKernel {

    @Override
    public void accumulateRow(BitTensor input, BinaryConvWeights weights, int outY, int outW, long[] acc) {
        accumulate(input, weights, outY, 0, outW, outW, acc);
    }

    /**
     * Accumulators for output columns [fromX, toX) of row {@code outY}, every output channel. The innermost loop
     * runs along pixels, so with horizontal stride 1 C2 turns it into vector XOR and popcount.
     */
    static void accumulate(BitTensor input, BinaryConvWeights weights, int outY, int fromX, int toX, int outW,
                           long[] acc) {
        ConvGeometry g = weights.geometry();
        long[] src = input.data();
        long[] w = weights.kernelWords();
        long[] masks = weights.groupMasks();
        int wordsPerTap = weights.wordsPerTap();
        int taps = g.taps();
        int planes = input.spec().bits();
        int cog = g.outPerGroup();
        int wordStride = input.wordStride();
        int stride = g.strideW();
        int count = toX - fromX;
        for (int o = 0; o < g.outChannels(); o++) {
            int group = o / cog;
            int firstWord = weights.groupFirstWord(group);
            int wordCount = weights.groupWordCount(group);
            int maskBase = group * wordsPerTap;
            int row = o * outW + fromX;
            java.util.Arrays.fill(acc, row, row + count, 0L);
            for (int plane = 0; plane < planes; plane++) {
                int tap = 0;
                for (int ky = 0; ky < g.kernelH(); ky++) {
                    int iy = outY * g.strideH() - g.padH() + ky * g.dilationH();
                    for (int kx = 0; kx < g.kernelW(); kx++, tap++) {
                        int ix = fromX * stride - g.padW() + kx * g.dilationW();
                        int at = input.index(plane, firstWord, iy, ix);
                        int wAt = (o * taps + tap) * wordsPerTap;
                        for (int l = 0; l < wordCount; l++, at += wordStride) {
                            long weight = w[wAt + l];
                            long mask = masks[maskBase + l];
                            if (stride == 1) {
                                addCounts(src, at, weight, mask, plane, acc, row, count);
                            } else {
                                for (int x = 0; x < count; x++) {
                                    acc[row + x] += (long) Long.bitCount((src[at + x * stride] ^ weight) & mask) << plane;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static void addCounts(long[] src, int at, long weight, long mask, int plane, long[] acc, int row, int count) {
        for (int x = 0; x < count; x++) {
            acc[row + x] += (long) Long.bitCount((src[at + x] ^ weight) & mask) << plane;
        }
    }

    @Override
    public void thresholdRow(long[] acc, int width, long[] limits, long[] inverts, int levels, BitTensor out, int y) {
        long[] dst = out.data();
        int channels = out.spec().channels();
        int planes = out.spec().bits();
        for (int word = 0; word < out.channelWords(); word++) {
            int first = word * 64;
            int end = Math.min(channels, first + 64);
            for (int plane = 0; plane < planes; plane++) {
                int row = out.index(plane, word, y, 0);
                for (int x = 0; x < width; x++) {
                    long bits = 0;
                    for (int o = first; o < end; o++) {
                        long r = acc[o * width + x];
                        long value = 0;
                        for (int i = o * levels; i < (o + 1) * levels; i++) {
                            value += ((limits[i] - r) >>> 63) ^ inverts[i];
                        }
                        bits |= ((value >>> plane) & 1) << (o - first);
                    }
                    dst[row + x] = bits;
                }
            }
        }
    }

    @Override
    public KernelStrategy strategy() {
        return KernelStrategy.SCALAR;
    }
}
