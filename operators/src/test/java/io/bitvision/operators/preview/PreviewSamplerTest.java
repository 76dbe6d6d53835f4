package io.bitvision.operators.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreviewSamplerTest {
    private static List<Long> sampled(PreviewSampler sampler, long... captureTimes) {
        List<Long> chosen = new ArrayList<>();
        long last = PreviewSampler.NONE;
        for (long t : captureTimes) {
            if (sampler.due(t, last)) {
                chosen.add(t);
                last = t;
            }
        }
        return chosen;
    }

    @Test
    void theFirstFrameThenOnePerInterval() {
        assertThat(sampled(new PreviewSampler(1000), 0, 400, 999, 1000, 1500, 2100, 2999, 3100))
                .containsExactly(0L, 1000L, 2100L, 3100L);
    }

    @Test
    void aClockThatGoesBackStartsAgain() {
        assertThat(sampled(new PreviewSampler(1000), 5000, 5500, 100, 600, 1100))
                .containsExactly(5000L, 100L, 1100L);
    }

    @Test
    void settingsAreChecked() {
        assertThat(new PreviewSettings("p", 2, 320).intervalMs()).isEqualTo(500);
        assertThatThrownBy(() -> new PreviewSettings("p", 0, 320)).hasMessageContaining("--preview-fps");
        assertThatThrownBy(() -> new PreviewSettings("p", 1, 4000)).hasMessageContaining("--preview-width");
        assertThatThrownBy(() -> new PreviewSettings(" ", 1, 320)).hasMessageContaining("--preview-topic");
        assertThatThrownBy(() -> new PreviewSampler(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
