package io.bitvision.benchmarks.live;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** How the live benches count committed records per camera. */
class LiveWatcherTest {
    private static LiveWatcher.Observed seen(String camera, long seq, int dropped, long ingest) {
        return new LiveWatcher.Observed(camera, seq, dropped, ingest, ingest + 100, ingest + 1000);
    }

    @Test
    void gapsExplainedByDroppedFramesAreNotLosses() {
        LiveWatcher.CameraTotals t = new LiveWatcher.CameraTotals();
        LiveWatcher.count(t, seen("a", 2, 2, 0));  // frames 0 and 1 dropped, reported on frame 2
        LiveWatcher.count(t, seen("a", 3, 0, 0));
        LiveWatcher.count(t, seen("a", 6, 1, 0));  // 2 missing, 1 explained
        LiveWatcher.count(t, seen("a", 6, 0, 0));  // duplicate
        assertThat(t.records()).isEqualTo(4);
        assertThat(t.framesDropped()).isEqualTo(3);
        assertThat(t.unexplainedGaps()).isEqualTo(1);
        assertThat(t.duplicates()).isEqualTo(1);
    }
}
