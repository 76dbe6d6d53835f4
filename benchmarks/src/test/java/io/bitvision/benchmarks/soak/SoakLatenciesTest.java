package io.bitvision.benchmarks.soak;

import io.bitvision.benchmarks.live.Percentiles;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The soak run's latency histogram against nearest-rank percentiles. */
class SoakLatenciesTest {
    @Test
    void soakLatenciesAgreeWithNearestRankPercentilesPerIntervalAndOverTheRun() {
        SoakRun.Latencies latencies = new SoakRun.Latencies();
        assertThat(latencies.drainInterval()).containsExactly(Double.NaN, Double.NaN);
        Random random = new Random(7);
        double[] first = new double[1000];
        double[] all = new double[3000];
        for (int i = 0; i < all.length; i++) {
            long ms = i < 1000 ? random.nextInt(2000) : 500 + random.nextInt(1500); // below 2048: exact buckets
            all[i] = ms;
            if (i < 1000) {
                first[i] = ms;
            }
            latencies.record(ms);
            if (i == 999) {
                assertThat(latencies.drainInterval()).containsExactly(Percentiles.percentile(first, 50),
                        Percentiles.percentile(first, 95));
            }
        }
        assertThat(latencies.percentile(50)).isEqualTo(Percentiles.percentile(all, 50));
        assertThat(latencies.percentile(95)).isEqualTo(Percentiles.percentile(all, 95));
        latencies.record(-5); // a clock step: counted as 0, not lost
        assertThat(latencies.percentile(0.01)).isZero();
    }
}
