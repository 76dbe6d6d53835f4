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
 *
 * <p>Exact, but not yet fast: AUTO does not pick it. Measured on JDK 25 (Xeon with AVX-512, 3x3 128->128 at 80x60):
 * 21 G MAC/s at UseAVX=2 against VECTOR's 104 G, and it still allocates (JFR shows {@code and(Vector)} in
 * {@link #byteCounts} falling back to Java code). Forced with {@code -Dbitvision.kernel=vector_swar}.
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
        return byteCounts(x, LongVector.broadcast(SPECIES, M1), LongVector.broadcast(SPECIES, M2),
                LongVector.broadcast(SPECIES, M4));
    }

    /**
     * The same with the masks as vectors the caller broadcast once: {@code and(long)} with a scalar fell back to
     * the Java implementation on 256-bit AVX2 vectors (JDK 25), allocating on every call.
     */
    private static LongVector byteCounts(LongVector x, LongVector m1, LongVector m2, LongVector m4) {
        LongVector t = x.sub(x.lanewise(VectorOperators.LSHR, 1).and(m1));
        t = t.and(m2).add(t.lanewise(VectorOperators.LSHR, 2).and(m2));
        return t.add(t.lanewise(VectorOperators.LSHR, 4)).and(m4);
    }

    /** The sum of the 8 bytes of each lane (each byte an unsigned count). */
    static LongVector sumBytes(LongVector bytes) {
        LongVector pairs = LongVector.broadcast(SPECIES, BYTE_PAIRS);
        LongVector s = bytes.and(pairs).add(bytes.lanewise(VectorOperators.LSHR, 8).and(pairs));
        s = s.add(s.lanewise(VectorOperators.LSHR, 16));
        return s.add(s.lanewise(VectorOperators.LSHR, 32)).and(LongVector.broadcast(SPECIES, 0xFFFFL));
    }

    /**
     * acc[at..] += sum of bytes << plane. Always an add (plane 0 zeroes its tile first): a vector chosen by a
     * branch would be boxed by C2, allocating on every flush.
     */
    private static void flush(LongVector bytes, long[] acc, int at, int plane) {
        sumBytes(bytes).lanewise(VectorOperators.LSHL, plane).add(LongVector.fromArray(SPECIES, acc, at)).intoArray(acc, at);
    }

    private static void zero(long[] acc, int at) {
        LongVector.zero(SPECIES).intoArray(acc, at);
    }

    /**
     * The words of a tile are walked as one sequence (tap by tap, channel word by channel word) in chunks of at most
     * {@value #WORDS_PER_FLUSH}, so the flush code stands once: C2 stops inlining a method that grows too large,
     * and a vector method it does not inline allocates its result.
     */
    @Override
    void accumulateTile4(long[] src, long[] w, int kernelH, int kernelW, int rowStep, int colStep, int planeStart,
                         int plane, int words, int wordStride, int o, int full, int outW, long[] acc) {
        int perChannel = kernelH * kernelW * words;
        LongVector m1 = LongVector.broadcast(SPECIES, M1);
        LongVector m2 = LongVector.broadcast(SPECIES, M2);
        LongVector m4 = LongVector.broadcast(SPECIES, M4);
        for (int x0 = 0; x0 < full; x0 += TILE_PIXELS) {
            int out = o * outW + x0;
            if (plane == 0) {
                for (int k = 0; k < 4; k++) {
                    zero(acc, out + k * outW);
                    zero(acc, out + k * outW + LANES);
                }
            }
            int ky = 0;
            int kx = 0;
            int c = 0;
            int at = planeStart + x0;
            int wAt = o * perChannel;
            for (int chunk = 0; chunk < perChannel; chunk += WORDS_PER_FLUSH) {
                int end = Math.min(perChannel, chunk + WORDS_PER_FLUSH);
                LongVector b00 = LongVector.zero(SPECIES), b01 = b00, b10 = b00, b11 = b00;
                LongVector b20 = b00, b21 = b00, b30 = b00, b31 = b00;
                for (int k = chunk; k < end; k++, wAt++) {
                    LongVector in0 = LongVector.fromArray(SPECIES, src, at);
                    LongVector in1 = LongVector.fromArray(SPECIES, src, at + LANES);
                    LongVector w0 = LongVector.broadcast(SPECIES, w[wAt]);
                    b00 = b00.add(byteCounts(in0.lanewise(VectorOperators.XOR, w0), m1, m2, m4));
                    b01 = b01.add(byteCounts(in1.lanewise(VectorOperators.XOR, w0), m1, m2, m4));
                    LongVector w1 = LongVector.broadcast(SPECIES, w[wAt + perChannel]);
                    b10 = b10.add(byteCounts(in0.lanewise(VectorOperators.XOR, w1), m1, m2, m4));
                    b11 = b11.add(byteCounts(in1.lanewise(VectorOperators.XOR, w1), m1, m2, m4));
                    LongVector w2 = LongVector.broadcast(SPECIES, w[wAt + 2 * perChannel]);
                    b20 = b20.add(byteCounts(in0.lanewise(VectorOperators.XOR, w2), m1, m2, m4));
                    b21 = b21.add(byteCounts(in1.lanewise(VectorOperators.XOR, w2), m1, m2, m4));
                    LongVector w3 = LongVector.broadcast(SPECIES, w[wAt + 3 * perChannel]);
                    b30 = b30.add(byteCounts(in0.lanewise(VectorOperators.XOR, w3), m1, m2, m4));
                    b31 = b31.add(byteCounts(in1.lanewise(VectorOperators.XOR, w3), m1, m2, m4));
                    if (++c < words) {
                        at += wordStride;
                    } else {
                        c = 0;
                        if (++kx == kernelW) {
                            kx = 0;
                            ky++;
                        }
                        at = planeStart + x0 + ky * rowStep + kx * colStep;
                    }
                }
                flush(b00, acc, out, plane);
                flush(b01, acc, out + LANES, plane);
                flush(b10, acc, out + outW, plane);
                flush(b11, acc, out + outW + LANES, plane);
                flush(b20, acc, out + 2 * outW, plane);
                flush(b21, acc, out + 2 * outW + LANES, plane);
                flush(b30, acc, out + 3 * outW, plane);
                flush(b31, acc, out + 3 * outW + LANES, plane);
            }
        }
    }

    @Override
    void accumulateTile1(long[] src, long[] w, int kernelH, int kernelW, int rowStep, int colStep, int planeStart,
                         int plane, int words, int wordStride, int o, int full, int outW, long[] acc) {
        int perChannel = kernelH * kernelW * words;
        LongVector m1 = LongVector.broadcast(SPECIES, M1);
        LongVector m2 = LongVector.broadcast(SPECIES, M2);
        LongVector m4 = LongVector.broadcast(SPECIES, M4);
        for (int x0 = 0; x0 < full; x0 += TILE_PIXELS) {
            int out = o * outW + x0;
            if (plane == 0) {
                zero(acc, out);
                zero(acc, out + LANES);
            }
            int ky = 0;
            int kx = 0;
            int c = 0;
            int at = planeStart + x0;
            int wAt = o * perChannel;
            for (int chunk = 0; chunk < perChannel; chunk += WORDS_PER_FLUSH) {
                int end = Math.min(perChannel, chunk + WORDS_PER_FLUSH);
                LongVector b0 = LongVector.zero(SPECIES), b1 = b0;
                for (int k = chunk; k < end; k++, wAt++) {
                    LongVector w0 = LongVector.broadcast(SPECIES, w[wAt]);
                    b0 = b0.add(byteCounts(LongVector.fromArray(SPECIES, src, at).lanewise(VectorOperators.XOR, w0),
                            m1, m2, m4));
                    b1 = b1.add(byteCounts(LongVector.fromArray(SPECIES, src, at + LANES)
                            .lanewise(VectorOperators.XOR, w0), m1, m2, m4));
                    if (++c < words) {
                        at += wordStride;
                    } else {
                        c = 0;
                        if (++kx == kernelW) {
                            kx = 0;
                            ky++;
                        }
                        at = planeStart + x0 + ky * rowStep + kx * colStep;
                    }
                }
                flush(b0, acc, out, plane);
                flush(b1, acc, out + LANES, plane);
            }
        }
    }
}
