package io.bitvision.operators.source.reader;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FrameDecimatorTest {

    private static List<Integer> kept(double targetFps, double sourceFps, int frames, int from) {
        FrameDecimator decimator = new FrameDecimator(targetFps);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            boolean keep = decimator.keep(Math.round(i * 1e6 / sourceFps));
            if (keep && i >= from) {
                kept.add(i);
            }
        }
        return kept;
    }

    @Test
    void zeroKeepsEverything() {
        assertThat(kept(0, 10, 5, 0)).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void halvesAndKeepsNtscRateWhole() {
        assertThat(kept(5, 10, 8, 0)).containsExactly(0, 2, 4, 6);
        assertThat(kept(30, 30000 / 1001.0, 100, 0)).hasSize(100);
        assertThat(kept(7, 10, 100, 0).size()).isBetween(68, 72);
    }

    @Test
    void reAnchorsOnTimeJumps() {
        FrameDecimator decimator = new FrameDecimator(1);
        assertThat(decimator.keep(0)).isTrue();
        assertThat(decimator.keep(500_000)).isFalse();
        assertThat(decimator.keep(60_000_000)).isTrue(); // jump forward
        assertThat(decimator.keep(1_000)).isTrue();      // stream restarted
    }
}
