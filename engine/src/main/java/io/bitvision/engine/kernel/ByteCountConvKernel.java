package io.bitvision.engine.kernel;

import io.bitvision.engine.tensor.BitTensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernel for CPUs without a 64-bit vector popcount (AVX2, AVX-512 without VPOPCNTDQ): the XOR of input
 * and weight words is counted per byte ({@code ByteVector} BIT_COUNT, which C2 builds from a nibble lookup table
 * with vpshufb on AVX2), and the byte counts are summed in byte lanes. A word adds at most 8 to a byte, so 31
 * words fit before a byte could overflow; only then are the bytes widened to 64-bit counts, by folding pairs of
 * bytes, shorts and ints (AVX2 has no 64-bit multiply to sum them at once). Against {@link VectorConvKernel},
 * whose 64-bit BIT_COUNT has to sum the byte counts of every word (vpsadbw) before adding it, this saves two
 * instructions per word and output tile lane.
 *
 * <p>Same layout and tiles as {@link VectorConvKernel} (4 output channels x 2 vectors of pixels, 8 byte
 * accumulators); with the inputs, weights and lookup constants that is more than AVX2's 16 YMM registers, and C2's
 * listing at UseAVX=2 shows a few accumulators spilled to the stack. Thresholds and depthwise layers use
 * {@link VectorConvKernel}'s code, which has no popcount; so do layers it does not tile (grouped, strided, output
 * channels not a multiple of 4).
 */
final class ByteCountConvKernel implements ConvKernel {
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> BYTES =
            ByteVector.SPECIES_PREFERRED.vectorShape() == LONGS.vectorShape() ? ByteVector.SPECIES_PREFERRED
                    : VectorSpecies.of(byte.class, VectorShape.forBitSize(LONGS.vectorBitSize()));
    private static final int LANES = LONGS.length();
    private static final int TILE_PIXELS = 2 * LANES;
    private static final int TILE_CHANNELS = 4;
    /** Words whose byte counts can be summed before a byte lane could pass 255. */
    private static final int WORDS_PER_WIDENING = 255 / 8;

    private final VectorConvKernel lanes = new VectorConvKernel();
    /** The byte counters of one tile on their way to being widened; one engine runs one kernel on one thread. */
    private final long[] spilled = new long[2 * TILE_CHANNELS * LANES];

    @Override
    public KernelStrategy strategy() {
        return KernelStrategy.VECTOR_BYTES;
    }

    @Override
    public void accumulateRow(BitTensor input, BinaryConvWeights weights, int outY, int outW, long[] acc) {
        ConvGeometry g = weights.geometry();
        if (g.groups() != 1 || g.strideW() != 1 || outW < TILE_PIXELS || g.outChannels() % TILE_CHANNELS != 0) {
            lanes.accumulateRow(input, weights, outY, outW, acc);
            return;
        }
        int full = outW - outW % TILE_PIXELS;
        int rowStep = g.dilationH() * input.rowStride();
        int rowStart = input.index(0, 0, outY * g.strideH() - g.padH(), -g.padW());
        int words = input.channelWords();
        int group = planesPerWidening(g.kernelH() * g.kernelW() * words);
        if (group > 1) {
            for (int o = 0; o < g.outChannels(); o += TILE_CHANNELS) {
                tile4Planes(input.data(), weights.kernelWords(), g.kernelH(), g.kernelW(), rowStep, g.dilationW(), rowStart,
                        input.spec().bits(), input.planeStride(), group, words, input.wordStride(), o, full, outW, acc,
                        spilled);
            }
            if (full < outW) {
                lanes.accumulateTail(input, weights, outY, full, outW, acc);
            }
            return;
        }
        for (int plane = 0; plane < input.spec().bits(); plane++) {
            int planeStart = rowStart + plane * input.planeStride();
            for (int o = 0; o < g.outChannels(); o += TILE_CHANNELS) {
                tile4(input.data(), weights.kernelWords(), g.kernelH(), g.kernelW(), rowStep, g.dilationW(), planeStart,
                        plane, words, input.wordStride(), o, full, outW, acc, spilled);
            }
        }
        if (full < outW) {
            lanes.accumulateTail(input, weights, outY, full, outW, acc);
        }
    }

    @Override
    public void weightedSumRow(float[] w, int wFrom, int count, float[] src, int width, float bias, float[] dst, int to) {
        lanes.weightedSumRow(w, wFrom, count, src, width, bias, dst, to);
    }

    @Override
    public void thresholdRow(long[] acc, int width, long[] limits, long[] inverts, int levels, BitTensor out, int y) {
        lanes.thresholdRow(acc, width, limits, inverts, levels, out, y);
    }

    @Override
    public void depthwiseRow(DepthwiseThresholdKernel layer, BitTensor in, BitTensor out, int y, long[] scratch) {
        lanes.depthwiseRow(layer, in, out, y, scratch);
    }

    /**
     * Bit-planes whose byte counts can share one widening: with {@code wordsPerPlane} words a plane adds at most
     * {@code 8 * wordsPerPlane} to a byte, and Horner's doubling between planes makes g planes add at most
     * {@code 8 * wordsPerPlane * (2^g - 1)}, which must stay within 255.
     */
    static int planesPerWidening(int wordsPerPlane) {
        int group = 0;
        while (group < 8 && 8L * wordsPerPlane * ((1L << (group + 1)) - 1) <= 255) {
            group++;
        }
        return group;
    }

    /**
     * All bit-planes for 4 output channels over pixels [0, full) of the row, top plane first (Horner), for layers
     * with few words per plane: {@code group} planes are summed in the byte counters, doubled between planes, then
     * widened once, into accumulators that hold the sum as of the last group's lowest plane. The 8-bit image stem
     * (one word per plane) widens twice per tile instead of 8 times; a 2-bit layer of up to 10 words once instead of
     * twice. The vectors are reassigned only by the loops, never in a branch: a vector merged from branches inside
     * these loops is boxed by C2 (measured: 1.5 GB allocated per person-model frame at UseAVX=2).
     */
    private static void tile4Planes(long[] src, long[] w, int kernelH, int kernelW, int rowStep, int colStep,
                                    int rowStart, int planes, int planeStride, int group, int words, int wordStride,
                                    int o, int full, int outW, long[] acc, long[] bytes) {
        int taps = kernelH * kernelW;
        int perChannel = taps * words;
        for (int x0 = 0; x0 < full; x0 += TILE_PIXELS) {
            int out = o * outW + x0;
            int widenedAt = -1;
            for (int top = planes - 1; top >= 0; top -= group) {
                int low = Math.max(0, top - group + 1);
                ByteVector b00 = ByteVector.zero(BYTES), b01 = b00, b10 = b00, b11 = b00;
                ByteVector b20 = b00, b21 = b00, b30 = b00, b31 = b00;
                for (int plane = top; plane >= low; plane--) {
                    b00 = b00.add(b00);
                    b01 = b01.add(b01);
                    b10 = b10.add(b10);
                    b11 = b11.add(b11);
                    b20 = b20.add(b20);
                    b21 = b21.add(b21);
                    b30 = b30.add(b30);
                    b31 = b31.add(b31);
                    int planeStart = rowStart + plane * planeStride + x0;
                    for (int tap = 0; tap < taps; tap++) {
                        int ky = tap / kernelW;
                        int at = planeStart + ky * rowStep + (tap - ky * kernelW) * colStep;
                        int wAt = o * perChannel + tap * words;
                        for (int c = 0; c < words; c++, at += wordStride, wAt++) {
                            LongVector in0 = LongVector.fromArray(LONGS, src, at);
                            LongVector in1 = LongVector.fromArray(LONGS, src, at + LANES);
                            LongVector w0 = LongVector.broadcast(LONGS, w[wAt]);
                            LongVector w1 = LongVector.broadcast(LONGS, w[wAt + perChannel]);
                            LongVector w2 = LongVector.broadcast(LONGS, w[wAt + 2 * perChannel]);
                            LongVector w3 = LongVector.broadcast(LONGS, w[wAt + 3 * perChannel]);
                            b00 = b00.add(count(in0, w0));
                            b01 = b01.add(count(in1, w0));
                            b10 = b10.add(count(in0, w1));
                            b11 = b11.add(count(in1, w1));
                            b20 = b20.add(count(in0, w2));
                            b21 = b21.add(count(in1, w2));
                            b30 = b30.add(count(in0, w3));
                            b31 = b31.add(count(in1, w3));
                        }
                    }
                }
                spill(b00, b01, b10, b11, b20, b21, b30, b31, bytes);
                widenHorner(bytes, acc, out, outW, widenedAt < 0 ? -1 : widenedAt - low);
                widenedAt = low;
            }
        }
    }

    private static ByteVector count(LongVector in, LongVector weight) {
        return in.lanewise(VectorOperators.XOR, weight).reinterpretAsBytes().lanewise(VectorOperators.BIT_COUNT);
    }

    /**
     * Accumulates one bit-plane for 4 output channels over pixels [0, full) of the row. Plane 0 stores its counts;
     * plane j > 0 adds them shifted left by j (bit-serial mode).
     */
    private static void tile4(long[] src, long[] w, int kernelH, int kernelW, int rowStep, int colStep, int planeStart,
                              int plane, int words, int wordStride, int o, int full, int outW, long[] acc,
                              long[] bytes) {
        int taps = kernelH * kernelW;
        int perChannel = taps * words;
        int out0 = o * outW;
        for (int x0 = 0; x0 < full; x0 += TILE_PIXELS) {
            ByteVector b00 = ByteVector.zero(BYTES), b01 = b00, b10 = b00, b11 = b00;
            ByteVector b20 = b00, b21 = b00, b30 = b00, b31 = b00;
            boolean stored = plane > 0;
            int pending = 0;
            int out = out0 + x0;
            for (int tap = 0; tap < taps; tap++) {
                int ky = tap / kernelW;
                int at = planeStart + x0 + ky * rowStep + (tap - ky * kernelW) * colStep;
                int wAt = o * perChannel + tap * words;
                for (int c = 0; c < words; c++, at += wordStride, wAt++) {
                    LongVector in0 = LongVector.fromArray(LONGS, src, at);
                    LongVector in1 = LongVector.fromArray(LONGS, src, at + LANES);
                    LongVector w0 = LongVector.broadcast(LONGS, w[wAt]);
                    LongVector w1 = LongVector.broadcast(LONGS, w[wAt + perChannel]);
                    LongVector w2 = LongVector.broadcast(LONGS, w[wAt + 2 * perChannel]);
                    LongVector w3 = LongVector.broadcast(LONGS, w[wAt + 3 * perChannel]);
                    b00 = b00.add(count(in0, w0));
                    b01 = b01.add(count(in1, w0));
                    b10 = b10.add(count(in0, w1));
                    b11 = b11.add(count(in1, w1));
                    b20 = b20.add(count(in0, w2));
                    b21 = b21.add(count(in1, w2));
                    b30 = b30.add(count(in0, w3));
                    b31 = b31.add(count(in1, w3));
                    if (++pending == WORDS_PER_WIDENING) {
                        spill(b00, b01, b10, b11, b20, b21, b30, b31, bytes);
                        widen(bytes, acc, out, outW, plane, stored);
                        b00 = ByteVector.zero(BYTES);
                        b01 = b00; b10 = b00; b11 = b00; b20 = b00; b21 = b00; b30 = b00; b31 = b00;
                        pending = 0;
                        stored = true;
                    }
                }
            }
            if (pending > 0 || !stored) {
                spill(b00, b01, b10, b11, b20, b21, b30, b31, bytes);
                widen(bytes, acc, out, outW, plane, stored);
            }
        }
    }

    /**
     * Stores the tile's byte counters to {@code bytes}. Vectors passed to a method that C2 does not inline are boxed
     * (an allocation per vector), so the widening below takes an array, and this stays small enough to inline.
     */
    private static void spill(ByteVector b00, ByteVector b01, ByteVector b10, ByteVector b11, ByteVector b20,
                              ByteVector b21, ByteVector b30, ByteVector b31, long[] bytes) {
        b00.reinterpretAsLongs().intoArray(bytes, 0);
        b01.reinterpretAsLongs().intoArray(bytes, LANES);
        b10.reinterpretAsLongs().intoArray(bytes, 2 * LANES);
        b11.reinterpretAsLongs().intoArray(bytes, 3 * LANES);
        b20.reinterpretAsLongs().intoArray(bytes, 4 * LANES);
        b21.reinterpretAsLongs().intoArray(bytes, 5 * LANES);
        b30.reinterpretAsLongs().intoArray(bytes, 6 * LANES);
        b31.reinterpretAsLongs().intoArray(bytes, 7 * LANES);
    }

    /**
     * Sums the 8 byte counts of each 64-bit lane of the spilled tile (pairs of bytes, shorts, ints), shifts them by
     * the plane and stores or adds them into the accumulators of 4 channels x 2 vectors of pixels at {@code out}.
     */
    /** {@code acc = (acc << accShift) + counts}, or {@code acc = counts} when {@code accShift} is negative. */
    private static void widenHorner(long[] bytes, long[] acc, int out, int outW, int accShift) {
        for (int i = 0; i < 2 * TILE_CHANNELS; i++) {
            int at = out + (i >> 1) * outW + (i & 1) * LANES;
            LongVector x = sumBytes(LongVector.fromArray(LONGS, bytes, i * LANES));
            if (accShift >= 0) {
                x = x.add(LongVector.fromArray(LONGS, acc, at).lanewise(VectorOperators.LSHL, accShift));
            }
            x.intoArray(acc, at);
        }
    }

    /** Per 64-bit lane, the sum of its 8 byte counts: pairs of bytes, shorts, ints. */
    private static LongVector sumBytes(LongVector x) {
        x = x.and(0x00FF00FF00FF00FFL).add(x.lanewise(VectorOperators.LSHR, 8).and(0x00FF00FF00FF00FFL));
        x = x.and(0x0000FFFF0000FFFFL).add(x.lanewise(VectorOperators.LSHR, 16).and(0x0000FFFF0000FFFFL));
        return x.and(0xFFFFFFFFL).add(x.lanewise(VectorOperators.LSHR, 32));
    }

    private static void widen(long[] bytes, long[] acc, int out, int outW, int plane, boolean add) {
        for (int i = 0; i < 2 * TILE_CHANNELS; i++) {
            int at = out + (i >> 1) * outW + (i & 1) * LANES;
            LongVector x = sumBytes(LongVector.fromArray(LONGS, bytes, i * LANES)).lanewise(VectorOperators.LSHL, plane);
            if (add) {
                x = x.add(LongVector.fromArray(LONGS, acc, at));
            }
            x.intoArray(acc, at);
        }
    }
}
