package io.bitvision.engine.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CenterPeaksTest {

    @Test
    void cornersEdgesAndPlateausAreOrderedByHeatThenRasterIndex() {
        // 3 x 4, row-major. Peaks: (0,0) 0.9 corner; (0,3) 0.5 and (1,3) 0.5 a plateau on the right edge; (2,0)
        // 0.5 bottom-left corner. (2,2) 0.4 is below its neighbour (1,3); (1,1) 0.2 is below (0,0).
        float[] heat = {
            0.9f, 0.1f, 0.1f, 0.5f,
            0.3f, 0.2f, 0.1f, 0.5f,
            0.5f, 0.1f, 0.4f, 0.05f,
        };
        CenterPeaks peaks = new CenterPeaks(3, 4, 0.1f, 10);
        assertThat(found(peaks, heat, 0)).containsExactly(0, 3, 7, 8);

        assertThat(found(new CenterPeaks(3, 4, 0.1f, 2), heat, 0)).containsExactly(0, 3);
        assertThat(found(new CenterPeaks(3, 4, 0.6f, 10), heat, 0)).containsExactly(0);
        assertThat(found(new CenterPeaks(3, 4, 0.95f, 10), heat, 0)).isEmpty();
    }

    @Test
    void theHeatmapMayStartAnywhereInItsArray() {
        float[] heat = {7f, 7f, 0.2f, 0.6f, 0.6f, 0.3f};
        assertThat(found(new CenterPeaks(2, 2, 0.1f, 4), heat, 2)).containsExactly(1, 2);
        assertThat(found(new CenterPeaks(1, 1, 0.1f, 4), heat, 5)).containsExactly(0);
    }

    @Test
    void matchesABruteForceSearchOnRandomGridsWithFewLevels() {
        SplittableRandom rnd = new SplittableRandom(17);
        int truncated = 0;
        for (int i = 0; i < 3000; i++) {
            int rows = 1 + rnd.nextInt(7);
            int cols = 1 + rnd.nextInt(7);
            int levels = 1 + rnd.nextInt(5);
            float[] heat = new float[rows * cols];
            for (int p = 0; p < heat.length; p++) {
                heat[p] = rnd.nextInt(levels + 1) / (float) levels;
            }
            float threshold = rnd.nextInt(levels + 1) / (float) levels;
            threshold = threshold == 0 ? 0.01f : threshold;
            int capacity = 1 + rnd.nextInt(8);
            List<Integer> expected = bruteForce(heat, rows, cols, threshold);
            truncated += expected.size() > capacity ? 1 : 0;
            CenterPeaks peaks = new CenterPeaks(rows, cols, threshold, capacity);
            assertThat(found(peaks, heat, 0)).as("grid %dx%d %s", rows, cols, java.util.Arrays.toString(heat))
                    .isEqualTo(expected.subList(0, Math.min(capacity, expected.size())));
            // Reused on another map: nothing left over.
            assertThat(found(peaks, new float[rows * cols], 0)).isEmpty();
        }
        assertThat(truncated).isGreaterThan(300);
    }

    private static List<Integer> found(CenterPeaks peaks, float[] heat, int from) {
        int count = peaks.find(heat, from);
        List<Integer> cells = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cells.add(peaks.cell(i));
        }
        return cells;
    }

    private static List<Integer> bruteForce(float[] heat, int rows, int cols, float threshold) {
        List<Integer> peaks = new ArrayList<>();
        for (int p = 0; p < heat.length; p++) {
            int y = p / cols;
            int x = p % cols;
            boolean peak = heat[p] >= threshold;
            for (int q = 0; q < heat.length; q++) {
                if (Math.abs(q / cols - y) <= 1 && Math.abs(q % cols - x) <= 1 && heat[q] > heat[p]) {
                    peak = false;
                }
            }
            if (peak) {
                peaks.add(p);
            }
        }
        peaks.sort(Comparator.comparingDouble((Integer p) -> -heat[p]).thenComparingInt(p -> p));
        return peaks;
    }
}
