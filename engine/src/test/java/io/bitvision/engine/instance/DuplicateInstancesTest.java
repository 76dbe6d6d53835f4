package io.bitvision.engine.instance;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.engine.post.CocoRle;
import io.bitvision.engine.track.Box;
import java.util.List;
import org.junit.jupiter.api.Test;

class DuplicateInstancesTest {
    private static final int H = 40;
    private static final int W = 60;

    /** A rectangle mask at (x, y) of w x h in an H x W frame. */
    private static MaskInstance rect(int classId, float score, int x, int y, int w, int h) {
        byte[] mask = new byte[H * W];
        for (int r = y; r < y + h; r++) {
            for (int c = x; c < x + w; c++) {
                mask[r * W + c] = 1;
            }
        }
        return new MaskInstance(classId, score, new Box(x, y, w, h), (long) w * h, CocoRle.counts(mask, H, W));
    }

    @Test
    void aRepeatedMaskGoesAndTheHigherScoreStaysInTheOriginalOrder() {
        MaskInstance other = rect(0, 0.9f, 40, 0, 10, 30);
        MaskInstance weaker = rect(0, 0.5f, 0, 0, 10, 20);   // IoU with the stronger: 180 / 200 = 0.9
        MaskInstance stronger = rect(0, 0.7f, 0, 2, 10, 18);
        assertThat(DuplicateInstances.suppress(List.of(other, weaker, stronger), 0.8))
                .containsExactly(other, stronger);
    }

    @Test
    void overlappingPeopleBelowTheThresholdAndOtherClassesStay() {
        MaskInstance front = rect(0, 0.9f, 0, 0, 20, 30);
        MaskInstance behind = rect(0, 0.8f, 10, 0, 20, 30);  // IoU 300 / 900 = 1/3
        MaskInstance sameMaskOtherClass = rect(1, 0.7f, 0, 0, 20, 30);
        List<MaskInstance> all = List.of(front, behind, sameMaskOtherClass);
        assertThat(DuplicateInstances.suppress(all, 0.8)).isSameAs(all);
        assertThat(DuplicateInstances.suppress(List.of(front, behind), 0.3)).containsExactly(front);
    }
}
