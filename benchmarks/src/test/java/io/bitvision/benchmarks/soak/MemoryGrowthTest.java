package io.bitvision.benchmarks.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The soak run's growth measure on made-up series: what counts as growth, what does not. */
class MemoryGrowthTest {
    /** Samples every 10 s for {@code minutes}; value = f(t in seconds). */
    private static double[][] series(double minutes, java.util.function.DoubleUnaryOperator f) {
        int n = (int) (minutes * 6);
        double[] t = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 10.0 * (i + 1);
            v[i] = f.applyAsDouble(t[i]);
        }
        return new double[][] {t, v};
    }

    @Test
    void aSteadyLeakIsTheDifferenceOfTheQuarterMedians() {
        // 2 MiB per minute from 700 MiB over 20 minutes; from 2 minutes on 109 samples (120..1200 s), 27 per quarter.
        double[][] s = series(20, t -> 700 + 2 * t / 60);
        MemoryGrowth g = MemoryGrowth.of(s[0], s[1], 120);
        assertThat(g.samples()).isEqualTo(109);
        assertThat(g.quarter()).isEqualTo(27);
        // First quarter: t = 120..380 s, median at 250 s; last quarter: t = 940..1200 s, median at 1070 s.
        assertThat(g.firstMedian()).isCloseTo(700 + 2 * 250 / 60.0, within(1e-9));
        assertThat(g.lastMedian()).isCloseTo(700 + 2 * 1070 / 60.0, within(1e-9));
        assertThat(g.growth()).isCloseTo(2 * 820 / 60.0, within(1e-9)); // 27.3 MiB
        assertThat(g.within(64)).isTrue();
        assertThat(g.within(16)).isFalse();
    }

    @Test
    void noiseAndASpikeAreNotGrowth() {
        Random random = new Random(42);
        // Flat at 700 MiB with +-20 MiB of noise and one 200 MiB spike in the last quarter.
        double[][] s = series(20, t -> 700 + (random.nextDouble() - 0.5) * 40 + (t == 1150 ? 200 : 0));
        MemoryGrowth g = MemoryGrowth.of(s[0], s[1], 120);
        assertThat(Math.abs(g.growth())).isLessThan(10);
        assertThat(g.within(64)).isTrue();
    }

    @Test
    void startupBeforeTheWarmUpIsNotGrowth() {
        // An 8-minute run: +300 MiB while the job starts (first 110 s), then flat.
        double[][] s = series(8, t -> t < 110 ? 400 + t * 2.7 : 700);
        MemoryGrowth g = MemoryGrowth.of(s[0], s[1], 120);
        assertThat(g.growth()).isZero();
        // Without the warm-up the startup ramp would count as growth, and fail the bound.
        MemoryGrowth cold = MemoryGrowth.of(s[0], s[1], 0);
        assertThat(cold.growth()).isGreaterThan(64);
        assertThat(cold.within(64)).isFalse();
    }

    @Test
    void unmeasuredSamplesAreSkippedAndTooFewSamplesFail() {
        double[] t = {130, 140, 150, 160, 170, 180, 190, 200};
        double[] v = {80, Double.NaN, Double.NaN, 81, Double.NaN, Double.NaN, 120, Double.NaN};
        MemoryGrowth g = MemoryGrowth.of(t, v, 120);
        assertThat(g.samples()).isEqualTo(3);
        assertThat(g.quarter()).isEqualTo(1);
        assertThat(g.growth()).isCloseTo(40, within(1e-9));
        assertThat(g.within(32)).isFalse();

        MemoryGrowth one = MemoryGrowth.of(new double[] {10, 200}, new double[] {50, 60}, 120);
        assertThat(one.samples()).isEqualTo(1);
        assertThat(one.growth()).isNaN();
        assertThat(one.within(1e9)).isFalse(); // not measured is not a pass
    }

    @Test
    void shrinkingIsWithinAnyBound() {
        double[][] s = series(10, t -> 900 - t / 10);
        MemoryGrowth g = MemoryGrowth.of(s[0], s[1], 120);
        assertThat(g.growth()).isNegative();
        assertThat(g.within(0)).isTrue();
    }
}
