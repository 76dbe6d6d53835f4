package io.bitvision.engine.kernel;

import io.bitvision.engine.tensor.BitTensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernel (XOR, BIT_COUNT, add per word and output tile; BIT_COUNT has a single instruction only with
 * AVX-512 VPOPCNTDQ; at UseAVX=2 C2's listing shows vpand, vpsrlw, two vpshufb, vpaddb and vpsadbw per count, which
 * {@link ByteCountConvKernel} cuts down; AUTO uses this kernel only with VPOPCNTDQ) for
 * dense convolutions with horizontal stride 1 (any kernel size, vertical stride or
 * dilation): pixels sit in vector lanes, each lane a word of 64 channels, and a register tile of 4 output
 * channels x 2 vectors of pixels accumulates XOR + popcount. Other geometries and the ragged end of a row go
 * to the scalar kernel, which computes the same numbers.
 *
 * <p>The tile loop is its own method, called once per block of output channels: a whole layer in one call
 * stays in on-stack-replacement code that C2 does not vectorise (FACTS.md).
 */
final class VectorConvKernel implements ConvKernel {
    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
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
        if (g.groups() != 1 || g.strideW() != 1) {
            ScalarConvKernel.accumulate(input, weights, outY, 0, outW, outW, acc);
            return;
        }
        int full = outW - outW % TILE_PIXELS;
        int rowStep = g.dilationH() * input.rowStride();
        int rowStart = input.index(0, 0, outY * g.strideH() - g.padH(), -g.padW());
        int words = input.channelWords();
        int planes = input.spec().bits();
        int planeStride = input.planeStride();
        int o = 0;
        for (; o + TILE_CHANNELS <= g.outChannels(); o += TILE_CHANNELS) {
            tile4(input.data(), weights.kernelWords(), g.kernelH(), g.kernelW(), rowStep, g.dilationW(), rowStart,
                    planes, planeStride, words, input.wordStride(), o, full, outW, acc);
        }
        for (; o < g.outChannels(); o++) {
            tile1(input.data(), weights.kernelWords(), g.kernelH(), g.kernelW(), rowStep, g.dilationW(), rowStart,
                    planes, planeStride, words, input.wordStride(), o, 0, full, TILE_PIXELS, outW, acc);
        }
        if (full < outW) {
            accumulateTail(input, weights, outY, full, outW, acc);
        }
    }

    /**
     * Columns [from, outW) of a dense stride-1 row, fewer than a two-vector tile: one-vector tiles, then the scalar
     * kernel for the last pixels (a 24-pixel row at 512 bits would otherwise leave a third of it to the scalar
     * kernel).
     */
    void accumulateTail(BitTensor input, BinaryConvWeights weights, int outY, int from, int outW, long[] acc) {
        ConvGeometry g = weights.geometry();
        int end = from + (outW - from) / LANES * LANES;
        if (end > from) {
            int rowStep = g.dilationH() * input.rowStride();
            int rowStart = input.index(0, 0, outY * g.strideH() - g.padH(), -g.padW());
            for (int o = 0; o < g.outChannels(); o++) {
                tile1(input.data(), weights.kernelWords(), g.kernelH(), g.kernelW(), rowStep, g.dilationW(), rowStart,
                        input.spec().bits(), input.planeStride(), input.channelWords(), input.wordStride(), o, from, end,
                        LANES, outW, acc);
            }
        }
        if (end < outW) {
            ScalarConvKernel.accumulate(input, weights, outY, end, outW, outW, acc);
        }
    }

    @Override
    public void weightedSumRow(float[] w, int wFrom, int count, float[] src, int width, float bias, float[] dst, int to) {
        int step = FLOATS.length();
        int x = 0;
        for (; x <= width - step; x += step) {
            FloatVector sum = FloatVector.zero(FLOATS);
            for (int c = 0; c < count; c++) {
                sum = sum.add(FloatVector.broadcast(FLOATS, w[wFrom + c]).mul(FloatVector.fromArray(FLOATS, src, c * width + x)));
            }
            sum.add(bias).intoArray(dst, to + x);
        }
        for (; x < width; x++) {
            float sum = 0f;
            for (int c = 0; c < count; c++) {
                sum += w[wFrom + c] * src[c * width + x];
            }
            dst[to + x] = sum + bias;
        }
    }

    @Override
    public void thresholdRow(long[] acc, int width, long[] limits, long[] inverts, int levels, BitTensor out, int y) {
        int full = width - width % LANES;
        int channels = out.spec().channels();
        int planes = out.spec().bits();
        for (int word = 0; word < out.channelWords(); word++) {
            int first = word * 64;
            int end = Math.min(channels, first + 64);
            if (levels == 1) {
                binaryWord(acc, width, limits, inverts, first, end, out.data(), out.index(0, word, y, 0), full);
            } else {
                levelWord(acc, width, limits, inverts, levels, planes, first, end, out.data(),
                        out.index(0, word, y, 0), out.planeStride(), full);
            }
            if (full < width) {
                tail(acc, width, limits, inverts, levels, first, end, out, word, y, full);
            }
        }
    }

    /*
     * Thresholds are plain lane arithmetic, the scalar kernel's expression ((limit - R) >>> 63) ^ invert, not
     * compares: a compare yields a mask, and masked lanewise ops have no AVX2 form, so C2 falls back to Java code
     * that allocates per vector (measured on JDK 25 at UseAVX=2: 29 MB per 128-channel layer run).
     */
    private static void binaryWord(long[] acc, int width, long[] limits, long[] inverts, int first, int end,
                                   long[] dst, int row, int full) {
        for (int x = 0; x < full; x += LANES) {
            LongVector bits = LongVector.zero(SPECIES);
            for (int o = first; o < end; o++) {
                LongVector r = LongVector.fromArray(SPECIES, acc, o * width + x);
                LongVector bit = LongVector.broadcast(SPECIES, limits[o]).sub(r).lanewise(VectorOperators.LSHR, 63)
                        .lanewise(VectorOperators.XOR, LongVector.broadcast(SPECIES, inverts[o]));
                bits = bits.or(bit.lanewise(VectorOperators.LSHL, o - first));
            }
            bits.intoArray(dst, row + x);
        }
    }

    private static void levelWord(long[] acc, int width, long[] limits, long[] inverts, int levels, int planes,
                                  int first, int end, long[] dst, int row, int planeStride, int full) {
        if (planes > 4) {
            levelWordInMemory(acc, width, limits, inverts, levels, planes, first, end, dst, row, planeStride, full);
            return;
        }
        // Up to 4 output planes stay in registers across the word's 64 channels and are stored once. The level sum
        // is written out here and in levelWordInMemory: a helper returning a vector is boxed where C2 does not inline.
        for (int x = 0; x < full; x += LANES) {
            LongVector p0 = LongVector.zero(SPECIES), p1 = p0, p2 = p0, p3 = p0;
            for (int o = first; o < end; o++) {
                LongVector r = LongVector.fromArray(SPECIES, acc, o * width + x);
                LongVector value = LongVector.zero(SPECIES);
                for (int i = o * levels; i < (o + 1) * levels; i++) {
                    value = value.add(LongVector.broadcast(SPECIES, limits[i]).sub(r).lanewise(VectorOperators.LSHR, 63)
                            .lanewise(VectorOperators.XOR, LongVector.broadcast(SPECIES, inverts[i])));
                }
                int bit = o - first;
                p0 = p0.or(value.and(1L).lanewise(VectorOperators.LSHL, bit));
                p1 = p1.or(value.lanewise(VectorOperators.LSHR, 1).and(1L).lanewise(VectorOperators.LSHL, bit));
                p2 = p2.or(value.lanewise(VectorOperators.LSHR, 2).and(1L).lanewise(VectorOperators.LSHL, bit));
                p3 = p3.or(value.lanewise(VectorOperators.LSHR, 3).and(1L).lanewise(VectorOperators.LSHL, bit));
            }
            p0.intoArray(dst, row + x);
            if (planes > 1) {
                p1.intoArray(dst, row + planeStride + x);
            }
            if (planes > 2) {
                p2.intoArray(dst, row + 2 * planeStride + x);
            }
            if (planes > 3) {
                p3.intoArray(dst, row + 3 * planeStride + x);
            }
        }
    }

    private static void levelWordInMemory(long[] acc, int width, long[] limits, long[] inverts, int levels, int planes,
                                          int first, int end, long[] dst, int row, int planeStride, int full) {
        for (int x = 0; x < full; x += LANES) {
            for (int plane = 0; plane < planes; plane++) {
                LongVector.zero(SPECIES).intoArray(dst, row + plane * planeStride + x);
            }
            for (int o = first; o < end; o++) {
                LongVector r = LongVector.fromArray(SPECIES, acc, o * width + x);
                LongVector value = LongVector.zero(SPECIES);
                for (int i = o * levels; i < (o + 1) * levels; i++) {
                    value = value.add(LongVector.broadcast(SPECIES, limits[i]).sub(r).lanewise(VectorOperators.LSHR, 63)
                            .lanewise(VectorOperators.XOR, LongVector.broadcast(SPECIES, inverts[i])));
                }
                for (int plane = 0; plane < planes; plane++) {
                    int at = row + plane * planeStride + x;
                    LongVector.fromArray(SPECIES, dst, at)
                            .or(value.lanewise(VectorOperators.LSHR, plane).and(LongVector.broadcast(SPECIES, 1L))
                                    .lanewise(VectorOperators.LSHL, o - first))
                            .intoArray(dst, at);
                }
            }
        }
    }

    /** The ragged end of a row, one pixel at a time; same expression as the scalar kernel. */
    private static void tail(long[] acc, int width, long[] limits, long[] inverts, int levels, int first, int end,
                             BitTensor out, int word, int y, int from) {
        for (int plane = 0; plane < out.spec().bits(); plane++) {
            int row = out.index(plane, word, y, 0);
            for (int x = from; x < width; x++) {
                long bits = 0;
                for (int o = first; o < end; o++) {
                    long r = acc[o * width + x];
                    long value = 0;
                    for (int i = o * levels; i < (o + 1) * levels; i++) {
                        value += ((limits[i] - r) >>> 63) ^ inverts[i];
                    }
                    bits |= ((value >>> plane) & 1) << (o - first);
                }
                out.data()[row + x] = bits;
            }
        }
    }

    /**
     * Depthwise threshold layer, 8 pixels per vector: bit-sliced counters live in {@code scratch} (one vector per
     * counter plane), the threshold compare is bit-sliced too. Other strides and the ragged row end take the
     * scalar path of {@link DepthwiseThresholdKernel}, which computes the same words.
     */
    @Override
    public void depthwiseRow(DepthwiseThresholdKernel layer, BitTensor in, BitTensor out, int y, long[] scratch) {
        ConvGeometry g = layer.geometry();
        int outW = out.spec().width();
        if (g.strideW() != 1 || outW < LANES) {
            layer.forwardRow(in, out, y, scratch);
            return;
        }
        int full = outW - outW % LANES;
        for (int word = 0; word < layer.channelWords(); word++) {
            for (int x0 = 0; x0 < full; x0 += LANES) {
                depthwiseChunk(layer, in, out, y, word, x0, scratch);
            }
        }
        if (full < outW) {
            layer.forwardColumns(in, out, y, full, outW, scratch);
        }
    }

    /**
     * The bit-sliced counters of one chunk (8 pixels x 64 channels at 512 bits) into {@code counters}. A method of its
     * own so that {@link #depthwiseChunk} stays small enough for C2 to inline {@link #greater}, whose vector result
     * is boxed otherwise (1.7 MB per 1x21 layer run when this code was inline).
     *
     * <p>Per bit-plane, blocks of 8 taps go through carry-save adders (Harley-Seal): ones, twos and fours hold the
     * plane's count below 8 bit-sliced, each block gives a vector of eights. The remaining taps go through the same
     * three one at a time; their carries out of the fours are ORed into one vector, since the three (at most 7) plus
     * at most 7 taps pass 8 at most once. With fewer than 32 taps the eights are summed into eights and sixteens as
     * well and the plane's whole count (5 bits) is added to the counters in one pass; with more, every block's eights
     * ripple into the counters. The partial sums live in slots beside the counters, not in vector variables carried
     * from one loop or method to the next: C2 boxes those. {@code reach} bounds the counters' value, so a carry
     * never ripples above its top bit.
     */
    private static void countChunk(DepthwiseThresholdKernel layer, BitTensor in, int y, int word, int x0,
                                   long[] counters) {
        ConvGeometry g = layer.geometry();
        int planes = layer.counterPlanes();
        long[] src = in.data();
        long[] tapWeights = layer.tapWeights();
        int words = layer.channelWords();
        for (int p = 0; p < planes; p++) {
            LongVector.zero(SPECIES).intoArray(counters, p * LANES);
        }
        int block = planes * LANES; // a block's eights; then ones, twos, fours, eights, sixteens, overflow, carry
        int ones = block + LANES;
        int eights = block + 4 * LANES;
        int sixteens = block + 5 * LANES;
        int overflow = block + 6 * LANES;
        int taps = g.taps();
        boolean fewTaps = taps < 32;
        long reach = 0;
        int kernelW = g.kernelW();
        int rowAt = in.index(0, word, y * g.strideH() - g.padH(), x0 - g.padW());
        int rowStep = g.dilationH() * in.rowStride();
        int colStep = g.dilationW();
        for (int plane = 0; plane < layer.inputBits(); plane++) {
            int planeAt = rowAt + plane * in.planeStride();
            for (int slot = ones; slot <= overflow; slot += LANES) {
                LongVector.zero(SPECIES).intoArray(counters, slot);
            }
            int tap = 0;
            for (; tap + 8 <= taps; tap += 8) {
                csaBlock(src, planeAt, tap, kernelW, rowStep, colStep, tapWeights, words, word, counters, block);
                if (fewTaps) {
                    halfAdd(counters, block, eights, sixteens);
                } else {
                    reach = addToCounters(counters, block, plane + 3, reach, planes);
                }
            }
            for (; tap < taps; tap++) {
                addTap(src, planeAt, tap, kernelW, rowStep, colStep, tapWeights, words, word, counters, block);
            }
            if (fewTaps) {
                halfAdd(counters, overflow, eights, sixteens);
                reach = addPlaneCount(counters, ones, plane, Math.min(5, 64 - Long.numberOfLeadingZeros(taps)), reach,
                        (long) taps << plane, planes);
                continue;
            }
            if (taps % 8 != 0) {
                reach = addToCounters(counters, overflow, plane + 3, reach, planes);
            }
            reach = addToCounters(counters, ones, plane, reach, planes);
            reach = addToCounters(counters, ones + LANES, plane + 1, reach, planes);
            reach = addToCounters(counters, ones + 2 * LANES, plane + 2, reach, planes);
        }
    }

    /** Where one tap of a depthwise chunk reads its input words. */
    private static int tapAt(int planeAt, int tap, int kernelW, int rowStep, int colStep) {
        int ky = tap / kernelW;
        return planeAt + ky * rowStep + (tap - ky * kernelW) * colStep;
    }

    /**
     * Taps [tap, tap + 8) through carry-save adders into the ones, twos and fours at {@code slots + LANES ..} and
     * their eights into {@code slots}.
     */
    private static void csaBlock(long[] src, int planeAt, int tap, int kernelW, int rowStep, int colStep,
                                 long[] tapWeights, int words, int word, long[] slots, int at) {
        LongVector ones = LongVector.fromArray(SPECIES, slots, at + LANES);
        LongVector twos = LongVector.fromArray(SPECIES, slots, at + 2 * LANES);
        LongVector fours = LongVector.fromArray(SPECIES, slots, at + 3 * LANES);
        LongVector a = mismatches(src, planeAt, tap, kernelW, rowStep, colStep, tapWeights, words, word);
        LongVector b = mismatches(src, planeAt, tap + 1, kernelW, rowStep, colStep, tapWeights, words, word);
        LongVector u = ones.lanewise(VectorOperators.XOR, a);
        LongVector twosA = ones.and(a).or(u.and(b));
        ones = u.lanewise(VectorOperators.XOR, b);
        a = mismatches(src, planeAt, tap + 2, kernelW, rowStep, colStep, tapWeights, words, word);
        b = mismatches(src, planeAt, tap + 3, kernelW, rowStep, colStep, tapWeights, words, word);
        u = ones.lanewise(VectorOperators.XOR, a);
        LongVector twosB = ones.and(a).or(u.and(b));
        ones = u.lanewise(VectorOperators.XOR, b);
        u = twos.lanewise(VectorOperators.XOR, twosA);
        LongVector foursA = twos.and(twosA).or(u.and(twosB));
        twos = u.lanewise(VectorOperators.XOR, twosB);
        a = mismatches(src, planeAt, tap + 4, kernelW, rowStep, colStep, tapWeights, words, word);
        b = mismatches(src, planeAt, tap + 5, kernelW, rowStep, colStep, tapWeights, words, word);
        u = ones.lanewise(VectorOperators.XOR, a);
        twosA = ones.and(a).or(u.and(b));
        ones = u.lanewise(VectorOperators.XOR, b);
        a = mismatches(src, planeAt, tap + 6, kernelW, rowStep, colStep, tapWeights, words, word);
        b = mismatches(src, planeAt, tap + 7, kernelW, rowStep, colStep, tapWeights, words, word);
        u = ones.lanewise(VectorOperators.XOR, a);
        twosB = ones.and(a).or(u.and(b));
        ones = u.lanewise(VectorOperators.XOR, b);
        u = twos.lanewise(VectorOperators.XOR, twosA);
        LongVector foursB = twos.and(twosA).or(u.and(twosB));
        twos = u.lanewise(VectorOperators.XOR, twosB);
        u = fours.lanewise(VectorOperators.XOR, foursA);
        fours.and(foursA).or(u.and(foursB)).intoArray(slots, at);
        u.lanewise(VectorOperators.XOR, foursB).intoArray(slots, at + 3 * LANES);
        ones.intoArray(slots, at + LANES);
        twos.intoArray(slots, at + 2 * LANES);
    }

    /** One tap into the ones, twos and fours; a carry out of the fours is ORed into the overflow slot. */
    private static void addTap(long[] src, int planeAt, int tap, int kernelW, int rowStep, int colStep,
                               long[] tapWeights, int words, int word, long[] slots, int at) {
        LongVector a = mismatches(src, planeAt, tap, kernelW, rowStep, colStep, tapWeights, words, word);
        LongVector ones = LongVector.fromArray(SPECIES, slots, at + LANES);
        LongVector twos = LongVector.fromArray(SPECIES, slots, at + 2 * LANES);
        LongVector fours = LongVector.fromArray(SPECIES, slots, at + 3 * LANES);
        LongVector carry = ones.and(a);
        ones.lanewise(VectorOperators.XOR, a).intoArray(slots, at + LANES);
        a = twos.and(carry);
        twos.lanewise(VectorOperators.XOR, carry).intoArray(slots, at + 2 * LANES);
        fours.lanewise(VectorOperators.XOR, a).intoArray(slots, at + 3 * LANES);
        LongVector.fromArray(SPECIES, slots, at + 6 * LANES).or(fours.and(a)).intoArray(slots, at + 6 * LANES);
    }

    private static LongVector mismatches(long[] src, int planeAt, int tap, int kernelW, int rowStep, int colStep,
                                         long[] tapWeights, int words, int word) {
        return LongVector.fromArray(SPECIES, src, tapAt(planeAt, tap, kernelW, rowStep, colStep))
                .lanewise(VectorOperators.XOR, tapWeights[tap * words + word]);
    }

    /** The eights at {@code from} added into eights and sixteens; with fewer than 32 taps sixteens never carries. */
    private static void halfAdd(long[] slots, int from, int eightsAt, int sixteensAt) {
        LongVector bits = LongVector.fromArray(SPECIES, slots, from);
        LongVector eights = LongVector.fromArray(SPECIES, slots, eightsAt);
        eights.lanewise(VectorOperators.XOR, bits).intoArray(slots, eightsAt);
        LongVector.fromArray(SPECIES, slots, sixteensAt).or(eights.and(bits)).intoArray(slots, sixteensAt);
    }

    /**
     * Adds the {@code width}-bit bit-sliced value at {@code valueAt} (bit i at {@code valueAt + i * LANES}) at weight
     * 2^from to the counters in one pass of full adders, then rippling the carry; {@code most} is the value's largest
     * possible amount at that weight, and the new bound on the counters is returned.
     */
    private static long addPlaneCount(long[] counters, int valueAt, int from, int width, long reach, long most,
                                      int planes) {
        long bound = reach + most;
        int top = Math.min(planes - 1, 63 - Long.numberOfLeadingZeros(bound));
        int last = Math.min(top, from + width - 1);
        LongVector carry = LongVector.zero(SPECIES);
        for (int p = from; p <= last; p++) {
            LongVector counter = LongVector.fromArray(SPECIES, counters, p * LANES);
            LongVector bit = LongVector.fromArray(SPECIES, counters, valueAt + (p - from) * LANES);
            LongVector half = counter.lanewise(VectorOperators.XOR, bit);
            half.lanewise(VectorOperators.XOR, carry).intoArray(counters, p * LANES);
            carry = counter.and(bit).or(half.and(carry));
        }
        int carryAt = valueAt + 6 * LANES;
        carry.intoArray(counters, carryAt);
        rippleCarry(counters, carryAt, last + 1, top);
        return bound;
    }

    /** Ripples the carry at {@code carryAt} into counter planes [from, top]. */
    private static void rippleCarry(long[] counters, int carryAt, int from, int top) {
        LongVector carry = LongVector.fromArray(SPECIES, counters, carryAt);
        for (int p = from; p <= top; p++) {
            LongVector counter = LongVector.fromArray(SPECIES, counters, p * LANES);
            counter.lanewise(VectorOperators.XOR, carry).intoArray(counters, p * LANES);
            carry = counter.and(carry);
        }
    }

    private static void depthwiseChunk(DepthwiseThresholdKernel layer, BitTensor in, BitTensor out, int y, int word,
                                       int x0, long[] counters) {
        countChunk(layer, in, y, word, x0, counters);
        long invert = layer.invertMasks()[word];
        int row = out.index(0, word, y, x0);
        if (layer.levels() == 1) {
            greater(layer, counters, 0, word).lanewise(VectorOperators.XOR, invert).intoArray(out.data(), row);
            return;
        }
        int outPlanes = out.spec().bits();
        int planeStride = out.planeStride();
        for (int p = 0; p < outPlanes; p++) {
            LongVector.zero(SPECIES).intoArray(out.data(), row + p * planeStride);
        }
        for (int level = 0; level < layer.levels(); level++) {
            LongVector carry = greater(layer, counters, level, word).lanewise(VectorOperators.XOR, invert);
            int top = 63 - Long.numberOfLeadingZeros(level + 1);
            for (int p = 0; p <= top; p++) {
                int at = row + p * planeStride;
                LongVector value = LongVector.fromArray(SPECIES, out.data(), at);
                value.lanewise(VectorOperators.XOR, carry).intoArray(out.data(), at);
                carry = value.and(carry);
            }
        }
    }

    /**
     * Adds the vector at {@code counters[bitsAt]} (one bit per channel and pixel) at weight 2^from to the bit-sliced
     * counters and returns the new bound on their value. The carry ripples up to the bound's top bit, and never past
     * the counters' planes: the count itself fits in them, so carries above them are zero. The bits come through
     * memory: a vector passed to a method C2 does not inline is boxed (16.7 MB per layer run when they were passed).
     */
    private static long addToCounters(long[] counters, int bitsAt, int from, long reach, int planes) {
        long bound = reach + (1L << from);
        int top = Math.min(planes - 1, 63 - Long.numberOfLeadingZeros(bound));
        LongVector carry = LongVector.fromArray(SPECIES, counters, bitsAt);
        for (int p = from; p <= top; p++) {
            LongVector counter = LongVector.fromArray(SPECIES, counters, p * LANES);
            counter.lanewise(VectorOperators.XOR, carry).intoArray(counters, p * LANES);
            carry = counter.and(carry);
        }
        return bound;
    }

    /** Bit-sliced (count > limit) for 8 pixels x 64 channels. */
    private static LongVector greater(DepthwiseThresholdKernel layer, long[] counters, int level, int word) {
        int planes = layer.counterPlanes();
        int limitAt = (level * layer.channelWords() + word) * planes;
        long[] limits = layer.limitPlanes();
        LongVector greater = LongVector.zero(SPECIES);
        LongVector equal = LongVector.broadcast(SPECIES, -1L);
        for (int p = planes - 1; p >= 0; p--) {
            LongVector count = LongVector.fromArray(SPECIES, counters, p * LANES);
            long limit = limits[limitAt + p];
            greater = greater.or(equal.and(count).lanewise(VectorOperators.AND, ~limit));
            equal = equal.and(count.lanewise(VectorOperators.XOR, limit).not());
        }
        return greater.lanewise(VectorOperators.OR, layer.alwaysGreater()[level * layer.channelWords() + word]);
    }

    /*
     * The tiles run every bit-plane of the input inside the tile, top plane first, doubling the accumulators between
     * planes (Horner: R = sum_j 2^j * count_j), so a k-bit layer stores each accumulator once instead of loading,
     * shifting and storing it per plane.
     */

    /** 4 output channels x 2 vectors of pixels over pixels [0, full) of the row. */
    private static void tile4(long[] src, long[] w, int kernelH, int kernelW, int rowStep, int colStep, int rowStart,
                              int planes, int planeStride, int words, int wordStride, int o, int full, int outW,
                              long[] acc) {
        int taps = kernelH * kernelW;
        int perChannel = taps * words;
        for (int x0 = 0; x0 < full; x0 += TILE_PIXELS) {
            LongVector a00 = LongVector.zero(SPECIES), a01 = a00, a10 = a00, a11 = a00;
            LongVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
            for (int plane = planes - 1; plane >= 0; plane--) {
                if (plane < planes - 1) {
                    a00 = a00.add(a00);
                    a01 = a01.add(a01);
                    a10 = a10.add(a10);
                    a11 = a11.add(a11);
                    a20 = a20.add(a20);
                    a21 = a21.add(a21);
                    a30 = a30.add(a30);
                    a31 = a31.add(a31);
                }
                int planeStart = rowStart + plane * planeStride + x0;
                for (int tap = 0; tap < taps; tap++) {
                    int ky = tap / kernelW;
                    int at = planeStart + ky * rowStep + (tap - ky * kernelW) * colStep;
                    int wAt = o * perChannel + tap * words;
                    for (int c = 0; c < words; c++, at += wordStride, wAt++) {
                        LongVector in0 = LongVector.fromArray(SPECIES, src, at);
                        LongVector in1 = LongVector.fromArray(SPECIES, src, at + LANES);
                        LongVector w0 = LongVector.broadcast(SPECIES, w[wAt]);
                        LongVector w1 = LongVector.broadcast(SPECIES, w[wAt + perChannel]);
                        LongVector w2 = LongVector.broadcast(SPECIES, w[wAt + 2 * perChannel]);
                        LongVector w3 = LongVector.broadcast(SPECIES, w[wAt + 3 * perChannel]);
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
            }
            int out = o * outW + x0;
            a00.intoArray(acc, out);
            a01.intoArray(acc, out + LANES);
            a10.intoArray(acc, out + outW);
            a11.intoArray(acc, out + outW + LANES);
            a20.intoArray(acc, out + 2 * outW);
            a21.intoArray(acc, out + 2 * outW + LANES);
            a30.intoArray(acc, out + 3 * outW);
            a31.intoArray(acc, out + 3 * outW + LANES);
        }
    }

    /**
     * One output channel over pixels [from, end), {@code step} pixels (one or two vectors) at a time: the channels
     * left over by {@link #tile4} and the one-vector columns of a row's tail.
     */
    private static void tile1(long[] src, long[] w, int kernelH, int kernelW, int rowStep, int colStep, int rowStart,
                              int planes, int planeStride, int words, int wordStride, int o, int from, int end,
                              int step, int outW, long[] acc) {
        int taps = kernelH * kernelW;
        int perChannel = taps * words;
        for (int x0 = from; x0 < end; x0 += step) {
            for (int half = 0; half < step; half += LANES) {
                LongVector a0 = LongVector.zero(SPECIES);
                for (int plane = planes - 1; plane >= 0; plane--) {
                    a0 = a0.add(a0);
                    int planeStart = rowStart + plane * planeStride + x0 + half;
                    for (int tap = 0; tap < taps; tap++) {
                        int ky = tap / kernelW;
                        int at = planeStart + ky * rowStep + (tap - ky * kernelW) * colStep;
                        int wAt = o * perChannel + tap * words;
                        for (int c = 0; c < words; c++, at += wordStride, wAt++) {
                            a0 = a0.add(LongVector.fromArray(SPECIES, src, at)
                                    .lanewise(VectorOperators.XOR, LongVector.broadcast(SPECIES, w[wAt]))
                                    .lanewise(VectorOperators.BIT_COUNT));
                        }
                    }
                }
                a0.intoArray(acc, o * outW + x0 + half);
            }
        }
    }
}
