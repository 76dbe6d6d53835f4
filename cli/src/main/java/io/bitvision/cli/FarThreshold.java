package io.bitvision.cli;

import java.util.Arrays;

/**
 * A verification threshold at a target false-accept rate, defined as training's
 * {@code face_train.threshold_at_far}: sort the impostor (different-identity) scores descending, {@code k =
 * floor(far * n)}, threshold = {@code scores[k] + 1e-6} (all of them when {@code k >= n}: the lowest score). So at
 * most {@code k} impostor pairs reach it, FAR {@code <= far}; ties at {@code scores[k]} all fall below it.
 */
final class FarThreshold {
    /** Added to the k-th impostor score, so that pair and those tied with it fall below the threshold. */
    static final double EPSILON = 1e-6;

    /**
     * Rates at one threshold.
     *
     * @param farTarget  the asked-for false-accept rate
     * @param threshold  similarity at or above which a pair is accepted
     * @param far        impostor pairs accepted / impostor pairs
     * @param tar        genuine pairs accepted / genuine pairs
     * @param accuracy   pairs decided right (genuine accepted, impostor rejected) / all pairs
     * @param resolvable whether there are enough impostor pairs to measure this FAR ({@code far * n >= 1}); when
     *                   not, the threshold is just above the highest impostor score (FAR 0)
     */
    record Rates(double farTarget, double threshold, double far, double tar, double accuracy, boolean resolvable) {}

    private FarThreshold() {}

    /** @throws IllegalArgumentException when there are no impostor scores or far is not in [0, 1] */
    static double threshold(double[] impostor, double far) {
        if (impostor.length == 0) {
            throw new IllegalArgumentException("no impostor pairs (different identities) to calibrate on");
        }
        if (!(far >= 0 && far <= 1)) {
            throw new IllegalArgumentException("a false-accept rate is between 0 and 1, got " + far);
        }
        double[] descending = impostor.clone();
        Arrays.sort(descending);
        reverse(descending);
        int k = (int) Math.floor(far * descending.length);
        return k < descending.length ? descending[k] + EPSILON : descending[descending.length - 1];
    }

    /** The threshold at {@code far} and the rates it gives on these pairs. */
    static Rates at(double[] genuine, double[] impostor, double far) {
        if (genuine.length == 0) {
            throw new IllegalArgumentException("no genuine pairs (two faces of one identity) to calibrate on");
        }
        double threshold = threshold(impostor, far);
        int genuineAccepted = accepted(genuine, threshold);
        int impostorAccepted = accepted(impostor, threshold);
        double accuracy = (genuineAccepted + (impostor.length - impostorAccepted)) / (double) (genuine.length + impostor.length);
        return new Rates(far, threshold, impostorAccepted / (double) impostor.length,
                genuineAccepted / (double) genuine.length, accuracy, far * impostor.length >= 1);
    }

    private static int accepted(double[] scores, double threshold) {
        int n = 0;
        for (double s : scores) {
            if (s >= threshold) {
                n++;
            }
        }
        return n;
    }

    private static void reverse(double[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
