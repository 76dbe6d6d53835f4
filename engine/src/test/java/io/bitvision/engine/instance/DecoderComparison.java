package io.bitvision.engine.instance;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.engine.instance.ReferenceDecoding.Candidate;
import io.bitvision.engine.post.CocoRle;
import io.bitvision.engine.track.Box;
import java.util.List;

/** Asserts that a decoder's instances are what a reference decoder's candidates call for. */
final class DecoderComparison {
    static final double SCORE_TOLERANCE = 1e-4;
    /** Pixels and cells whose logit is this close to the threshold may fall either way. */
    static final double LOGIT_TOLERANCE = 1e-4;

    enum Outcome { COMPARED, TIE }

    private DecoderComparison() {}

    /**
     * Compares {@code decoded} with the reference's {@code candidates}; returns TIE without asserting when a
     * decision in the reference is within rounding of its threshold.
     */
    static Outcome compare(List<Candidate> candidates, List<MaskInstance> decoded, float scoreThreshold,
                           float maskThreshold, int maxInstances, int height, int width) {
        double logitThreshold = Math.log(maskThreshold / (1.0 - maskThreshold));
        for (Candidate c : candidates) {
            boolean scoreTie = Math.abs(c.score() - scoreThreshold) < SCORE_TOLERANCE;
            boolean cellTie = c.onCells() > 0 && c.closestCellMargin() < LOGIT_TOLERANCE;
            boolean emptyTie = c.frameLogits() != null
                    && Math.abs(maxOf(c.frameLogits()) - logitThreshold) < LOGIT_TOLERANCE;
            if (scoreTie || cellTie || emptyTie) {
                return Outcome.TIE;
            }
        }
        List<Candidate> ranked = ReferenceDecoding.expected(candidates, maskThreshold, Integer.MAX_VALUE);
        int keep = Math.min(ranked.size(), maxInstances);
        if (keep < ranked.size() && ranked.get(keep - 1).score() - ranked.get(keep).score() < SCORE_TOLERANCE) {
            return Outcome.TIE; // which of two near-equal scores makes the cut is a rounding matter
        }
        assertThat(decoded).hasSize(keep);
        for (int i = 1; i < decoded.size(); i++) {
            assertThat(decoded.get(i).score()).isLessThanOrEqualTo(decoded.get(i - 1).score());
        }
        // Near-equal scores may come in either order: match each reference instance to a decoded one of about
        // the same score and the same mask.
        boolean[] matched = new boolean[keep];
        for (int i = 0; i < keep; i++) {
            Candidate reference = ranked.get(i);
            String where = "reference candidate " + reference.index() + " (rank " + i + ") at " + height + "x" + width;
            String mismatch = "no decoded instance with score " + reference.score();
            for (int k = 0; k < keep && mismatch != null; k++) {
                if (!matched[k] && Math.abs(decoded.get(k).score() - reference.score()) <= SCORE_TOLERANCE) {
                    String found = maskMismatch(decoded.get(k), reference, logitThreshold, maskThreshold, height, width);
                    if (found == null) {
                        matched[k] = true;
                    }
                    mismatch = found;
                }
            }
            assertThat(mismatch).as(where).isNull();
        }
        return Outcome.COMPARED;
    }

    /** Null when the decoded mask equals the reference's up to pixels at the threshold, else the first difference. */
    private static String maskMismatch(MaskInstance actual, Candidate reference, double logitThreshold,
                                       double maskThreshold, int height, int width) {
        assertThat(actual.classId()).isZero();
        byte[] mask = CocoRle.decode(actual.rleCounts(), height, width);
        for (int p = 0; p < mask.length; p++) {
            double logit = reference.frameLogits()[p];
            boolean on = ReferenceDecoding.sigmoid(logit) > maskThreshold;
            if ((mask[p] != 0) != on && Math.abs(logit - logitThreshold) > LOGIT_TOLERANCE) {
                return "pixel " + p / width + "," + p % width + " is " + mask[p] + ", reference logit " + logit
                        + " against threshold " + logitThreshold;
            }
        }
        assertThat(actual.area()).isEqualTo(CocoRle.area(actual.rleCounts())).isPositive();
        int[] box = CocoRle.bbox(actual.rleCounts(), height, width);
        assertThat(actual.box()).isEqualTo(new Box(box[0], box[1], box[2], box[3]));
        return null;
    }

    private static double maxOf(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        return max;
    }
}
