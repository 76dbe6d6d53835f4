package io.bitvision.cli.eval;

import static io.bitvision.cli.eval.BoxMatcher.Outcome.FALSE_ALARM;
import static io.bitvision.cli.eval.BoxMatcher.Outcome.HIT;
import static io.bitvision.cli.eval.BoxMatcher.Outcome.NOT_COUNTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BoxMatcherTest {
    private static BoxMatcher.Detection det(float score, float... box) {
        return new BoxMatcher.Detection(box, score);
    }

    private static SceneLabels.Frame frame(List<float[]> boxes, List<float[]> ignore) {
        return new SceneLabels.Frame(0, boxes, ignore);
    }

    @Test
    void eachPersonIsMatchedOnceByTheHighestScoringOverlapAndTheRestAreFalseAlarms() {
        SceneLabels.Frame labels = frame(List.of(new float[] {100, 100, 40, 100}), List.of());
        // Both overlap the person at IoU >= 0.5; the higher score takes it, whatever the list order.
        BoxMatcher.FrameResult r = BoxMatcher.match(List.of(det(0.4f, 102, 100, 40, 100), det(0.9f, 100, 104, 40, 96)),
                labels, 40);
        assertThat(r.outcomes()).containsExactly(FALSE_ALARM, HIT);
        assertThat(r.required()).isEqualTo(1);
        assertThat(r.missed()).isEmpty();
    }

    @Test
    void anOverlapBelowHalfIsAMissAndAFalseAlarm() {
        // Shifted by half its width: IoU = 20*100 / (2*4000 - 2000) = 1/3.
        BoxMatcher.FrameResult r = BoxMatcher.match(List.of(det(0.9f, 120, 100, 40, 100)),
                frame(List.of(new float[] {100, 100, 40, 100}), List.of()), 40);
        assertThat(r.outcomes()).containsExactly(FALSE_ALARM);
        assertThat(r.missed()).hasSize(1);
    }

    @Test
    void shortPeopleAreOptionalAndDetectionsInIgnoreRegionsAreNotCounted() {
        SceneLabels.Frame labels = frame(List.of(new float[] {10, 10, 12, 30}, new float[] {200, 50, 30, 80}),
                List.of(new float[] {400, 0, 100, 100}));
        BoxMatcher.FrameResult r = BoxMatcher.match(List.of(
                det(0.8f, 10, 11, 12, 29),      // the 30 px person: optional
                det(0.7f, 420, 20, 40, 60),      // wholly inside the ignore region
                det(0.6f, 380, 20, 40, 60),      // half inside: not counted
                det(0.5f, 360, 20, 40, 60)),     // a quarter inside: a false alarm
                labels, 40);
        assertThat(r.outcomes()).containsExactly(NOT_COUNTED, NOT_COUNTED, NOT_COUNTED, FALSE_ALARM);
        assertThat(r.required()).isEqualTo(1);
        assertThat(r.missed()).singleElement().satisfies(b -> assertThat(b[0]).isEqualTo(200f));
    }

    @Test
    void iouAgreesWithAPixelCountOnRandomBoxes() {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            float[] a = {random.nextInt(50), random.nextInt(50), 1 + random.nextInt(40), 1 + random.nextInt(40)};
            float[] b = {random.nextInt(50), random.nextInt(50), 1 + random.nextInt(40), 1 + random.nextInt(40)};
            int inter = 0;
            int union = 0;
            for (int y = 0; y < 100; y++) {
                for (int x = 0; x < 100; x++) {
                    boolean inA = x >= a[0] && x < a[0] + a[2] && y >= a[1] && y < a[1] + a[3];
                    boolean inB = x >= b[0] && x < b[0] + b[2] && y >= b[1] && y < b[1] + b[3];
                    inter += inA && inB ? 1 : 0;
                    union += inA || inB ? 1 : 0;
                }
            }
            assertThat(BoxMatcher.iou(a, b)).isCloseTo((double) inter / union, within(1e-9));
        }
    }
}
