package io.bitvision.benchmarks.live;

import java.util.Arrays;

/** Medians and nearest-rank percentiles of small samples; NaN for an empty sample. */
public final class Percentiles {
    private Percentiles() {}

    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Nearest-rank percentile: the smallest value with at least {@code p} percent of the sample at or below it. */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("p must be in (0, 100], was " + p);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    public static double percentile(long[] values, double p) {
        return percentile(Arrays.stream(values).asDoubleStream().toArray(), p);
    }

    public static double mean(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).sum() / values.length;
    }
}
