package io.bitvision.engine.kernel;

import io.bitvision.engine.tensor.BitPacking;

/**
 * 1-bit weights of a convolution (bit 1 = +1, bit 0 = -1), immutable and shared by every engine instance.
 *
 * <p>Canonical form (what model files store): one bit per (out channel, ky, kx, in channel of the group), in
 * that order, LSB first within each long. Kernel form: per (out channel, tap) the words of the input tensor that
 * the channel's group spans, bits aligned to the input's channel positions, zero elsewhere; plus a mask per
 * group so that grouped convolutions count only their own channels.
 */
public final class BinaryConvWeights {
    private final ConvGeometry geometry;
    private final long[] canonical;
    private final long[] kernelWords;
    private final int wordsPerTap;
    private final int[] groupFirstWord;
    private final int[] groupWordCount;
    private final long[] groupMasks;
    private final int[] positiveCounts;

    public BinaryConvWeights(ConvGeometry geometry, long[] canonical) {
        long bits = canonicalBits(geometry);
        if (canonical.length != canonicalWords(geometry)) {
            throw new IllegalArgumentException("expected " + canonicalWords(geometry) + " weight words for "
                    + bits + " bits, got " + canonical.length);
        }
        int usedInLast = (int) (bits % 64);
        if (usedInLast != 0 && (canonical[canonical.length - 1] >>> usedInLast) != 0) {
            throw new IllegalArgumentException("padding bits after the last weight are not zero");
        }
        this.geometry = geometry;
        this.canonical = canonical.clone();

        int groups = geometry.groups();
        int cig = geometry.inPerGroup();
        groupFirstWord = new int[groups];
        groupWordCount = new int[groups];
        int maxWords = 0;
        for (int g = 0; g < groups; g++) {
            int first = g * cig;
            int last = first + cig - 1;
            groupFirstWord[g] = first >>> 6;
            groupWordCount[g] = (last >>> 6) - (first >>> 6) + 1;
            maxWords = Math.max(maxWords, groupWordCount[g]);
        }
        wordsPerTap = maxWords;
        groupMasks = new long[groups * wordsPerTap];
        for (int g = 0; g < groups; g++) {
            for (int l = 0; l < groupWordCount[g]; l++) {
                int wordBase = (groupFirstWord[g] + l) * 64;
                groupMasks[g * wordsPerTap + l] = BitPacking.rangeMask(g * cig, (g + 1) * cig, wordBase);
            }
        }

        int taps = geometry.taps();
        int cog = geometry.outPerGroup();
        kernelWords = new long[geometry.outChannels() * taps * wordsPerTap];
        positiveCounts = new int[geometry.outChannels()];
        long bitIndex = 0;
        for (int o = 0; o < geometry.outChannels(); o++) {
            int g = o / cog;
            for (int tap = 0; tap < taps; tap++) {
                for (int ci = 0; ci < cig; ci++, bitIndex++) {
                    if (((canonical[(int) (bitIndex >>> 6)] >>> (bitIndex & 63)) & 1) != 0) {
                        int channel = g * cig + ci;
                        int local = (channel >>> 6) - groupFirstWord[g];
                        kernelWords[(o * taps + tap) * wordsPerTap + local] |= 1L << (channel & 63);
                        positiveCounts[o]++;
                    }
                }
            }
        }
    }

    public static long canonicalBits(ConvGeometry geometry) {
        return (long) geometry.outChannels() * geometry.taps() * geometry.inPerGroup();
    }

    public static int canonicalWords(ConvGeometry geometry) {
        return Math.toIntExact((canonicalBits(geometry) + 63) >>> 6);
    }

    public ConvGeometry geometry() {
        return geometry;
    }

    /** Sign (+1 or -1) of weight (out, ky, kx, in channel within the group): for references and exporters. */
    public int sign(int out, int ky, int kx, int inInGroup) {
        long bit = ((long) (out * geometry.kernelH() + ky) * geometry.kernelW() + kx) * geometry.inPerGroup() + inInGroup;
        return ((canonical[(int) (bit >>> 6)] >>> (bit & 63)) & 1) != 0 ? 1 : -1;
    }

    public long[] canonicalCopy() {
        return canonical.clone();
    }

    // Package-private views of the kernel form: kernels read them, nobody writes them.
    long[] kernelWords() {
        return kernelWords;
    }

    int wordsPerTap() {
        return wordsPerTap;
    }

    int groupFirstWord(int group) {
        return groupFirstWord[group];
    }

    int groupWordCount(int group) {
        return groupWordCount[group];
    }

    long[] groupMasks() {
        return groupMasks;
    }

    /** Number of +1 weights of an output channel: the weight-only term of the bit-serial mode. */
    public int positiveCount(int out) {
        return positiveCounts[out];
    }
}
