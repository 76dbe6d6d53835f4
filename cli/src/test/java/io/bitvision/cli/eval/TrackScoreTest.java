package io.bitvision.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrackScoreTest {
    private static final float[] LEFT = {0, 0, 20, 60};
    private static final float[] RIGHT = {100, 0, 20, 60};

    private static void frame(TrackScore score, int frame, long... trackIds) {
        SceneLabels.Frame labels = new SceneLabels.Frame(frame, List.of(LEFT, RIGHT), List.of(), List.of("ann", "bob"));
        List<BoxMatcher.Detection> found = List.of(new BoxMatcher.Detection(LEFT, 0.9f), new BoxMatcher.Detection(RIGHT, 0.8f));
        score.published(trackIds);
        score.labelled(labels, 40, trackIds, BoxMatcher.match(found, labels, 40));
    }

    @Test
    void aSwapCountsTwoSwitchesAndEveryPublishedIdCounts() {
        TrackScore score = new TrackScore();
        frame(score, 0, 1, 2);
        score.published(new long[] {1, 2, 7}); // an unlabelled frame in between with a stray id
        frame(score, 5, 1, 2);
        frame(score, 10, 2, 1); // the tracker swapped them
        assertThat(score.people()).isEqualTo(2);
        assertThat(score.publishedTrackIds()).isEqualTo(3);
        assertThat(score.trackIdsPerPerson()).isEqualTo(1.5);
        assertThat(score.idSwitches()).isEqualTo(2);
        assertThat(score.idsByPerson()).containsEntry("ann", 2).containsEntry("bob", 2);
    }
}
