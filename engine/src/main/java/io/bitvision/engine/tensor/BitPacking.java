package io.bitvision.engine.tensor;

/**
 * Bit-packing facts in one place. A word is a {@code long} holding 64 channels of one pixel, channel
 * {@code c} at bit {@code c % 64} of word {@code c / 64}. Bits past the last channel are always zero: kernels
 * rely on it (XOR and AND of two zero bits count nothing).
 */
public final class BitPacking {
    public static final int BITS_PER_WORD = 64;

    private BitPacking() {}

    public static int words(int channels) {
        return (channels + BITS_PER_WORD - 1) >>> 6;
    }

    /** Mask of the valid channel bits in word {@code word} of a tensor with {@code channels} channels. */
    public static long validMask(int channels, int word) {
        int bitsInWord = Math.min(BITS_PER_WORD, channels - word * BITS_PER_WORD);
        if (bitsInWord <= 0) {
            return 0L;
        }
        return bitsInWord == BITS_PER_WORD ? -1L : (1L << bitsInWord) - 1;
    }

    /** Mask of bits [from, to) within the 64-bit word starting at channel {@code wordBase}. */
    public static long rangeMask(int from, int to, int wordBase) {
        int lo = Math.max(from - wordBase, 0);
        int hi = Math.min(to - wordBase, BITS_PER_WORD);
        if (hi <= lo) {
            return 0L;
        }
        long upTo = hi == BITS_PER_WORD ? -1L : (1L << hi) - 1;
        long below = (1L << lo) - 1;
        return upTo & ~below;
    }
}
