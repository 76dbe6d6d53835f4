package io.bitvision.engine;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector path of {@link PatchImagePacker}: one vector of consecutive output pixels at a time, the same tap
 * groups and byte extraction as the scalar loop, lane by lane (loads, shifts, ANDs and ORs: vpsllq/vpsrlq/vpand/vpor
 * on AVX2 and AVX-512). Only loaded where jdk.incubator.vector is present. Everything stays in one method: vectors
 * passed to a method C2 does not inline are boxed.
 */
final class VectorPatchRows {
    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;

    private VectorPatchRows() {}

    /**
     * Packs output pixels [0, n) of one row, n the largest multiple of the lane count not above {@code outW}.
     *
     * @return n: the scalar loop packs the rest
     */
    static int packRow(long[] spreads, int[] tapOffset, int[] tapShift, int[] groupStart, int channels, long[] dst,
                       int row, int planeStride, int outW) {
        int lanes = SPECIES.length();
        int n = outW - outW % lanes;
        int groups = groupStart.length - 1;
        for (int x = 0; x < n; x += lanes) {
            LongVector zero = LongVector.zero(SPECIES);
            LongVector p0 = zero, p1 = zero, p2 = zero, p3 = zero, p4 = zero, p5 = zero, p6 = zero, p7 = zero;
            int shift = 0;
            for (int g = 0; g < groups; g++) {
                LongVector group = zero;
                int end = groupStart[g + 1];
                for (int tap = groupStart[g]; tap < end; tap++) {
                    group = group.or(LongVector.fromArray(SPECIES, spreads, x + tapOffset[tap])
                            .lanewise(VectorOperators.LSHL, tapShift[tap]));
                }
                p0 = p0.or(group.and(0xFFL).lanewise(VectorOperators.LSHL, shift));
                p1 = p1.or(group.lanewise(VectorOperators.LSHR, 8).and(0xFFL).lanewise(VectorOperators.LSHL, shift));
                p2 = p2.or(group.lanewise(VectorOperators.LSHR, 16).and(0xFFL).lanewise(VectorOperators.LSHL, shift));
                p3 = p3.or(group.lanewise(VectorOperators.LSHR, 24).and(0xFFL).lanewise(VectorOperators.LSHL, shift));
                p4 = p4.or(group.lanewise(VectorOperators.LSHR, 32).and(0xFFL).lanewise(VectorOperators.LSHL, shift));
                p5 = p5.or(group.lanewise(VectorOperators.LSHR, 40).and(0xFFL).lanewise(VectorOperators.LSHL, shift));
                p6 = p6.or(group.lanewise(VectorOperators.LSHR, 48).and(0xFFL).lanewise(VectorOperators.LSHL, shift));
                p7 = p7.or(group.lanewise(VectorOperators.LSHR, 56).lanewise(VectorOperators.LSHL, shift));
                shift += (end - groupStart[g]) * channels;
            }
            int at = row + x;
            p0.intoArray(dst, at);
            p1.intoArray(dst, at + planeStride);
            p2.intoArray(dst, at + 2 * planeStride);
            p3.intoArray(dst, at + 3 * planeStride);
            p4.intoArray(dst, at + 4 * planeStride);
            p5.intoArray(dst, at + 5 * planeStride);
            p6.intoArray(dst, at + 6 * planeStride);
            p7.intoArray(dst, at + 7 * planeStride);
        }
        return n;
    }
}
