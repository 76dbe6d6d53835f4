package io.bitvision.benchmarks.soak;

import io.bitvision.benchmarks.live.Percentiles;
import java.util.ArrayList;
import java.util.List;

/**
 * Growth of a memory series over a soak run: the median of the last quarter of the samples minus the median of the
 * first quarter, both taken after a warm-up (startup, JIT, heap sizing and the first loops of every buffer pool
 * are not growth). Medians make single spikes (a GC just before a sample, a burst of frames) irrelevant; a leak
 * moves the whole last quarter up. NaN samples (a value not measured at that sample) are left out.
 *
 * @param samples   samples after the warm-up that were measured
 * @param quarter   samples in each quarter: a quarter of {@code samples}, at least 1
 * @param firstMedian median of the first quarter
 * @param lastMedian  median of the last quarter
 * @param growth    {@code lastMedian - firstMedian}; NaN with fewer than 2 samples
 */
record MemoryGrowth(int samples, int quarter, double firstMedian, double lastMedian, double growth) {

    static MemoryGrowth of(double[] timesSeconds, double[] values, double warmupSeconds) {
        if (timesSeconds.length != values.length) {
            throw new IllegalArgumentException("times and values differ in length: " + timesSeconds.length + " vs "
                    + values.length);
        }
        List<Double> kept = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (timesSeconds[i] >= warmupSeconds && Double.isFinite(values[i])) {
                kept.add(values[i]);
            }
        }
        int n = kept.size();
        if (n < 2) {
            return new MemoryGrowth(n, 0, Double.NaN, Double.NaN, Double.NaN);
        }
        int quarter = Math.max(1, n / 4);
        double[] first = new double[quarter];
        double[] last = new double[quarter];
        for (int i = 0; i < quarter; i++) {
            first[i] = kept.get(i);
            last[i] = kept.get(n - quarter + i);
        }
        double firstMedian = Percentiles.median(first);
        double lastMedian = Percentiles.median(last);
        return new MemoryGrowth(n, quarter, firstMedian, lastMedian, lastMedian - firstMedian);
    }

    /** Whether the growth was measured and is at most {@code bound}. */
    boolean within(double bound) {
        return Double.isFinite(growth) && growth <= bound;
    }
}
