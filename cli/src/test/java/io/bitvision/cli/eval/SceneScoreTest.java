package io.bitvision.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SceneScoreTest {
    private static final float[] PERSON_A = {0, 0, 20, 60};
    private static final float[] PERSON_B = {100, 0, 20, 60};
    private static final float[] PERSON_C = {200, 0, 20, 60};

    @Test
    void recallPrecisionAndApOverTwoFramesAsWorkedOutByHand() {
        SceneScore score = new SceneScore();
        // Frame 1: A found at 0.9, a false alarm at 0.8, B found at 0.6.
        List<BoxMatcher.Detection> first = List.of(new BoxMatcher.Detection(PERSON_A, 0.9f),
                new BoxMatcher.Detection(new float[] {50, 0, 20, 60}, 0.8f), new BoxMatcher.Detection(PERSON_B, 0.6f));
        SceneLabels.Frame firstLabels = new SceneLabels.Frame(0, List.of(PERSON_A, PERSON_B), List.of());
        score.add(first, BoxMatcher.match(first, firstLabels, 40));
        // Frame 2: C missed, a false alarm at 0.7.
        List<BoxMatcher.Detection> second = List.of(new BoxMatcher.Detection(new float[] {300, 0, 20, 60}, 0.7f));
        SceneLabels.Frame secondLabels = new SceneLabels.Frame(1, List.of(PERSON_C), List.of());
        score.add(second, BoxMatcher.match(second, secondLabels, 40));

        assertThat(score.frames()).isEqualTo(2);
        assertThat(score.people()).isEqualTo(3);
        assertThat(score.hits()).isEqualTo(2);
        assertThat(score.falseAlarms()).isEqualTo(2);
        assertThat(score.misses()).isEqualTo(1);
        assertThat(score.recall()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(score.precision()).isCloseTo(0.5, within(1e-12));
        // Ranked: 0.9 hit (P 1, R 1/3), 0.8 miss, 0.7 miss, 0.6 hit (P 2/4, R 2/3): AP = 1/3 * 1 + 1/3 * 1/2.
        assertThat(score.ap50()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void withoutPeopleOrDetectionsTheFiguresAreUndefinedNotZero() {
        SceneScore score = new SceneScore();
        score.add(List.of(), BoxMatcher.match(List.of(), new SceneLabels.Frame(0, List.of(), List.of()), 40));
        assertThat(score.recall()).isNaN();
        assertThat(score.precision()).isNaN();
        assertThat(score.ap50()).isNaN();
    }
}
