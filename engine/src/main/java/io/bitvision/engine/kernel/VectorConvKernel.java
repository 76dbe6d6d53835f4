package io.bitvision.engine.kernel;

import io.bitvision.engine.tensor.BitTensor;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernel for dense convolutions with horizontal stride 1 (any kernel size, vertical stride or
 * dilation): pixels sit in vector lanes, each lane a word of 64 channels, and a register tile of 4 output
 * channels x 2 vectors of pixels accumulates XOR + popcount. Other geometries and the ragged end of a row go
 * to the scalar kernel, which computes the same numbers.
 *
 * <p>The tile loop is its own method, called once per block of output channels: a whole layer in one call
 * stays in on-stack-replacement code that C2 does not vectorise (FACTS.md).
 */
final class VectorConvKernel implements ConvKernel {
    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int TILE_PIXELS = 2 * LANES;
    private static final int TILE_CHANNELS = 4;

    static int lanes() {
        return LANES;
    }

    @Override
    public KernelStrategy strategy() {
        return KernelStrategy.VECTOR;
    }

    @Override
    public void accumulateRow(BitTensor input, BinaryConvWeights weights, int outY, int outW, long[] acc) {
        ConvGeometry g = weights.geometry();
        if (g.groups() != 1 || g.strideW() != 1 || outW < TILE_PIXELS) {
            ScalarConvKernel.accumulate(input, weights, outY, 0, outW, outW, acc);
            return;
        }
        int full = outW - outW % TILE_PIXELS;
        int rowStep = g.dilationH() * input.rowStride();
        int rowStart = input.index(0, 0, outY * g.strideH() - g.padH(), -g.padW());
        int words = input.channelWords();
        int planes = input.spec().bits();
        int o = 0;
        for (; o + TILE_CHANNELS <= g.outChannels(); o += TILE_CHANNELS) {
            tile4(input.data(), weights.kernelWords(), g.kernelH(), g.kernelW(), rowStep, g.dilationW(), rowStart, planes, words, input.wordStride(),
                    input.planeStride(), o, full, outW, acc);
        }
        for (; o < g.outChannels(); o++) {
            tile1(input.data(), weights.kernelWords(), g.kernelH(), g.kernelW(), rowStep, g.dilationW(), rowStart, planes, words, input.wordStride(),
                    input.planeStride(), o, full, outW, acc);
        }
        if (full < outW) {
            ScalarConvKernel.accumulate(input, weights, outY, full, outW, outW, acc);
        }
    }

    private static void tile4(long[] src, long[] w, int kernelH, int kernelW, int rowStep, int colStep, int rowStart, int planes, int words,
                              int wordStride, int planeStride, int o, int full, int outW, long[] acc) {
        int taps = kernelH * kernelW;
        int perChannel = taps * words;
        for (int x0 = 0; x0 < full; x0 += TILE_PIXELS) {
            LongVector t00 = LongVector.zero(SPECIES), t01 = t00, t10 = t00, t11 = t00;
            LongVector t20 = t00, t21 = t00, t30 = t00, t31 = t00;
            for (int plane = 0; plane < planes; plane++) {
                LongVector a00 = LongVector.zero(SPECIES), a01 = a00, a10 = a00, a11 = a00;
                LongVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
                int planeStart = rowStart + plane * planeStride + x0;
                for (int tap = 0; tap < taps; tap++) {
                    int ky = tap / kernelW;
                    int at = planeStart + ky * rowStep + (tap - ky * kernelW) * colStep;
                    int wAt = o * perChannel + tap * words;
                    for (int c = 0; c < words; c++, at += wordStride, wAt++) {
                        LongVector in0 = LongVector.fromArray(SPECIES, src, at);
                        LongVector in1 = LongVector.fromArray(SPECIES, src, at + LANES);
                        long w0 = w[wAt];
                        long w1 = w[wAt + perChannel];
                        long w2 = w[wAt + 2 * perChannel];
                        long w3 = w[wAt + 3 * perChannel];
                        a00 = a00.add(in0.lanewise(VectorOperators.XOR, w0).lanewise(VectorOperators.BIT_COUNT));
                        a01 = a01.add(in1.lanewise(VectorOperators.XOR, w0).lanewise(VectorOperators.BIT_COUNT));
                        a10 = a10.add(in0.lanewise(VectorOperators.XOR, w1).lanewise(VectorOperators.BIT_COUNT));
                        a11 = a11.add(in1.lanewise(VectorOperators.XOR, w1).lanewise(VectorOperators.BIT_COUNT));
                        a20 = a20.add(in0.lanewise(VectorOperators.XOR, w2).lanewise(VectorOperators.BIT_COUNT));
                        a21 = a21.add(in1.lanewise(VectorOperators.XOR, w2).lanewise(VectorOperators.BIT_COUNT));
                        a30 = a30.add(in0.lanewise(VectorOperators.XOR, w3).lanewise(VectorOperators.BIT_COUNT));
                        a31 = a31.add(in1.lanewise(VectorOperators.XOR, w3).lanewise(VectorOperators.BIT_COUNT));
                    }
                }
                if (plane == 0) {
                    t00 = a00; t01 = a01; t10 = a10; t11 = a11; t20 = a20; t21 = a21; t30 = a30; t31 = a31;
                } else {
                    t00 = t00.add(a00.lanewise(VectorOperators.LSHL, plane));
                    t01 = t01.add(a01.lanewise(VectorOperators.LSHL, plane));
                    t10 = t10.add(a10.lanewise(VectorOperators.LSHL, plane));
                    t11 = t11.add(a11.lanewise(VectorOperators.LSHL, plane));
                    t20 = t20.add(a20.lanewise(VectorOperators.LSHL, plane));
                    t21 = t21.add(a21.lanewise(VectorOperators.LSHL, plane));
                    t30 = t30.add(a30.lanewise(VectorOperators.LSHL, plane));
                    t31 = t31.add(a31.lanewise(VectorOperators.LSHL, plane));
                }
            }
            int out = o * outW + x0;
            t00.intoArray(acc, out);
            t01.intoArray(acc, out + LANES);
            t10.intoArray(acc, out + outW);
            t11.intoArray(acc, out + outW + LANES);
            t20.intoArray(acc, out + 2 * outW);
            t21.intoArray(acc, out + 2 * outW + LANES);
            t30.intoArray(acc, out + 3 * outW);
            t31.intoArray(acc, out + 3 * outW + LANES);
        }
    }

    private static void tile1(long[] src, long[] w, int kernelH, int kernelW, int rowStep, int colStep, int rowStart, int planes, int words,
                              int wordStride, int planeStride, int o, int full, int outW, long[] acc) {
        int taps = kernelH * kernelW;
        int perChannel = taps * words;
        for (int x0 = 0; x0 < full; x0 += TILE_PIXELS) {
            LongVector t0 = LongVector.zero(SPECIES), t1 = t0;
            for (int plane = 0; plane < planes; plane++) {
                LongVector a0 = LongVector.zero(SPECIES), a1 = a0;
                int planeStart = rowStart + plane * planeStride + x0;
                for (int tap = 0; tap < taps; tap++) {
                    int ky = tap / kernelW;
                    int at = planeStart + ky * rowStep + (tap - ky * kernelW) * colStep;
                    int wAt = o * perChannel + tap * words;
                    for (int c = 0; c < words; c++, at += wordStride, wAt++) {
                        long w0 = w[wAt];
                        a0 = a0.add(LongVector.fromArray(SPECIES, src, at)
                                .lanewise(VectorOperators.XOR, w0).lanewise(VectorOperators.BIT_COUNT));
                        a1 = a1.add(LongVector.fromArray(SPECIES, src, at + LANES)
                                .lanewise(VectorOperators.XOR, w0).lanewise(VectorOperators.BIT_COUNT));
                    }
                }
                t0 = t0.add(a0.lanewise(VectorOperators.LSHL, plane));
                t1 = t1.add(a1.lanewise(VectorOperators.LSHL, plane));
            }
            t0.intoArray(acc, o * outW + x0);
            t1.intoArray(acc, o * outW + x0 + LANES);
        }
    }
}
