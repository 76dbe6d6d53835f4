package io.bitvision.engine.kernel;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The vector kernel for CPUs without a vector popcount (AVX2, and AVX-512 without VPOPCNTDQ): the same tiles as
 * {@link VectorConvKernel}, but each XOR word is counted per byte with shifts, ANDs and adds on 64-bit lanes
 * ({@code vpsrlq}, {@code vpand}, {@code vpsubq}/{@code vpaddq}: SWAR), the byte counts are summed in byte
 * accumulators, and only every {@value #WORDS_PER_FLUSH} words are the bytes of each lane added up and folded into
 * the 64-bit accumulators. A tile of 4 output channels x 2 vectors keeps 8 byte accumulators, the two input vectors,
 * one broadcast weight and the masks in 16 YMM registers. Thresholds and depthwise layers are the parent's: they do
 * not count bits.
 */
final class SwarVectorConvKernel extends VectorConvKernel {
    /** A byte holds at most 8 per word; 31 words keep it at 248 < 256. */
    static final int WORDS_PER_FLUSH = 31;
    private static final long M1 = 0x5555555555555555L;
    private static final long M2 = 0x3333333333333333L;
    private static final long M4 = 0x0F0F0F0F0F0F0F0FL;
    private static final long BYTE_PAIRS = 0x00FF00FF00FF00FFL;

    @Override
    public KernelStrategy strategy() {
        return KernelStrategy.VECTOR_SWAR;
    }

    /** Per-byte popcount of each lane: 0..8 in every byte. */
    static LongVector byteCounts(LongVector x) {
        LongVector t = x.sub(x.lanewise(VectorOperators.LSHR, 1).and(M1));
        t = t.and(M2).add(t.lanewise(VectorOperators.LSHR, 2).and(M2));
        return t.add(t.lanewise(VectorOperators.LSHR, 4)).and(M4);
    }

    /** The sum of the 8 bytes of each lane (each byte an unsigned count). */
    static LongVector sumBytes(LongVector bytes) {
        LongVector s = bytes.and(BYTE_PAIRS).add(bytes.lanewise(VectorOperators.LSHR, 8).and(BYTE_PAIRS));
        s = s.add(s.lanewise(VectorOperators.LSHR, 16));
        return s.add(s.lanewise(VectorOperators.LSHR, 32)).and(0xFFFFL);
    }

    /** acc[at..] = (plane == 0 and first flush ? 0 : acc[at..]) + (sum of bytes << plane). */
    private static void flush(LongVector bytes, long[] acc, int at, int plane, boolean store) {
        LongVector counts = sumBytes(bytes).lanewise(VectorOperators.LSHL, plane);
        (store ? counts : counts.add(LongVector.fromArray(SPECIES, acc, at))).intoArray(acc, at);
    }

    @Override
    void accumulateTile4(long[] src, long[] w, int kernelH, int kernelW, int rowStep, int colStep, int planeStart,
                         int plane, int words, int wordStride, int o, int full, int outW, long[] acc) {
        int taps = kernelH * kernelW;
        int perChannel = taps * words;
        int total = taps * words;
        for (int x0 = 0; x0 < full; x0 += TILE_PIXELS) {
            int out = o * outW + x0;
            boolean store = plane == 0;
            LongVector b00 = LongVector.zero(SPECIES), b01 = b00, b10 = b00, b11 = b00;
            LongVector b20 = b00, b21 = b00, b30 = b00, b31 = b00;
            int pending = 0;
            int done = 0;
            for (int tap = 0; tap < taps; tap++) {
                int ky = tap / kernelW;
                int at = planeStart + x0 + ky * rowStep + (tap - ky * kernelW) * colStep;
                int wAt = o * perChannel + tap * words;
                for (int c = 0; c < words; c++, at += wordStride, wAt++) {
                    LongVector in0 = LongVector.fromArray(SPECIES, src, at);
                    LongVector in1 = LongVector.fromArray(SPECIES, src, at + LANES);
                    long w0 = w[wAt];
                    b00 = b00.add(byteCounts(in0.lanewise(VectorOperators.XOR, w0)));
                    b01 = b01.add(byteCounts(in1.lanewise(VectorOperators.XOR, w0)));
                    long w1 = w[wAt + perChannel];
                    b10 = b10.add(byteCounts(in0.lanewise(VectorOperators.XOR, w1)));
                    b11 = b11.add(byteCounts(in1.lanewise(VectorOperators.XOR, w1)));
                    long w2 = w[wAt + 2 * perChannel];
                    b20 = b20.add(byteCounts(in0.lanewise(VectorOperators.XOR, w2)));
                    b21 = b21.add(byteCounts(in1.lanewise(VectorOperators.XOR, w2)));
                    long w3 = w[wAt + 3 * perChannel];
                    b30 = b30.add(byteCounts(in0.lanewise(VectorOperators.XOR, w3)));
                    b31 = b31.add(byteCounts(in1.lanewise(VectorOperators.XOR, w3)));
                    done++;
                    if (++pending == WORDS_PER_FLUSH && done < total) {
                        flush(b00, acc, out, plane, store);
                        flush(b01, acc, out + LANES, plane, store);
                        flush(b10, acc, out + outW, plane, store);
                        flush(b11, acc, out + outW + LANES, plane, store);
                        flush(b20, acc, out + 2 * outW, plane, store);
                        flush(b21, acc, out + 2 * outW + LANES, plane, store);
                        flush(b30, acc, out + 3 * outW, plane, store);
                        flush(b31, acc, out + 3 * outW + LANES, plane, store);
                        b00 = LongVector.zero(SPECIES);
                        b01 = b00; b10 = b00; b11 = b00; b20 = b00; b21 = b00; b30 = b00; b31 = b00;
                        pending = 0;
                        store = false;
                    }
                }
            }
            flush(b00, acc, out, plane, store);
            flush(b01, acc, out + LANES, plane, store);
            flush(b10, acc, out + outW, plane, store);
            flush(b11, acc, out + outW + LANES, plane, store);
            flush(b20, acc, out + 2 * outW, plane, store);
            flush(b21, acc, out + 2 * outW + LANES, plane, store);
            flush(b30, acc, out + 3 * outW, plane, store);
            flush(b31, acc, out + 3 * outW + LANES, plane, store);
        }
    }

    @Override
    void accumulateTile1(long[] src, long[] w, int kernelH, int kernelW, int rowStep, int colStep, int planeStart,
                         int plane, int words, int wordStride, int o, int full, int outW, long[] acc) {
        int taps = kernelH * kernelW;
        int perChannel = taps * words;
        int total = taps * words;
        for (int x0 = 0; x0 < full; x0 += TILE_PIXELS) {
            int out = o * outW + x0;
            boolean store = plane == 0;
            LongVector b0 = LongVector.zero(SPECIES), b1 = b0;
            int pending = 0;
            int done = 0;
            for (int tap = 0; tap < taps; tap++) {
                int ky = tap / kernelW;
                int at = planeStart + x0 + ky * rowStep + (tap - ky * kernelW) * colStep;
                int wAt = o * perChannel + tap * words;
                for (int c = 0; c < words; c++, at += wordStride, wAt++) {
                    long w0 = w[wAt];
                    b0 = b0.add(byteCounts(LongVector.fromArray(SPECIES, src, at).lanewise(VectorOperators.XOR, w0)));
                    b1 = b1.add(byteCounts(LongVector.fromArray(SPECIES, src, at + LANES)
                            .lanewise(VectorOperators.XOR, w0)));
                    done++;
                    if (++pending == WORDS_PER_FLUSH && done < total) {
                        flush(b0, acc, out, plane, store);
                        flush(b1, acc, out + LANES, plane, store);
                        b0 = LongVector.zero(SPECIES);
                        b1 = b0;
                        pending = 0;
                        store = false;
                    }
                }
            }
            flush(b0, acc, out, plane, store);
            flush(b1, acc, out + LANES, plane, store);
        }
    }
}
