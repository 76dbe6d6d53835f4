package io.bitvision.engine.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bitvision.engine.post.CocoRle;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogitMaskRendererTest {

    /** Known outputs of torch.nn.functional.interpolate(mode="bilinear", align_corners=False). */
    @Test
    void resizesLikePyTorch() {
        double[][] square = {{0, 1}, {2, 3}};
        assertThat(ReferenceDecoding.resize(square, 4, 4)).containsExactly(new double[] {
            0.0, 0.25, 0.75, 1.0,
            0.5, 0.75, 1.25, 1.5,
            1.5, 1.75, 2.25, 2.5,
            2.0, 2.25, 2.75, 3.0}, within(1e-12));
        assertThat(ReferenceDecoding.resize(new double[][] {{0, 1, 2, 3, 4}}, 1, 2)).containsExactly(new double[] {0.75, 3.25}, within(1e-12));
        assertThat(ReferenceDecoding.resize(new double[][] {{0, 1}}, 1, 3)).containsExactly(new double[] {0, 0.5, 1}, within(1e-12));

        BilinearAxis up = new BilinearAxis(2, 4);
        int[] lower = {0, 0, 0, 1};
        int[] upper = {1, 1, 1, 1};
        double[] weight = {0, 0.25, 0.75, 0.25};
        for (int d = 0; d < 4; d++) {
            assertThat(up.lower(d)).isEqualTo(lower[d]);
            assertThat(up.upper(d)).isEqualTo(upper[d]);
            assertThat(up.upperWeight(d)).isEqualTo(weight[d]);
        }
        BilinearAxis down = new BilinearAxis(5, 2);
        assertThat(new int[] {down.lower(0), down.upper(0), down.lower(1), down.upper(1)}).containsExactly(0, 1, 3, 4);
        assertThat(down.upperWeight(0)).isEqualTo(0.75);
        assertThat(down.upperWeight(1)).isEqualTo(0.25, within(1e-12));
    }

    @Test
    void outputRangesOfCellsAreTheOutputsThatReadThem() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 500; i++) {
            int in = 1 + rnd.nextInt(30);
            BilinearAxis axis = new BilinearAxis(in, 1 + rnd.nextInt(300));
            int cell = rnd.nextInt(-3, in + 3);
            int first = axis.firstReadingFrom(cell);
            int end = axis.endReadingUpTo(cell);
            for (int d = 0; d < axis.outSize(); d++) {
                assertThat(d >= first).isEqualTo(axis.lower(d) >= cell);
                assertThat(d < end).isEqualTo(axis.lower(d) <= cell);
            }
        }
    }

    /**
     * The decoder renders only pixels near the on cells. On maps built to stress that (noise, blobs, one on cell
     * in a corner, cells exactly at the threshold and one ulp either side, frames smaller and larger than the
     * map), the result equals rendering every pixel of the frame, and agrees with the plain reference.
     */
    @Test
    void renderingNearTheOnCellsEqualsRenderingEveryPixel() {
        SplittableRandom rnd = new SplittableRandom(2);
        int rendered = 0;
        int empty = 0;
        for (int i = 0; i < 3000; i++) {
            int rows = 1 + rnd.nextInt(20);
            int cols = 1 + rnd.nextInt(20);
            double threshold = rnd.nextDouble(0.05, 0.95);
            LogitMaskRenderer renderer = new LogitMaskRenderer(rows, cols, threshold);
            float[] logits = logits(rnd, rows, cols, Math.log(threshold / (1 - threshold)));
            byte[] on = new byte[logits.length];
            int top = rows;
            int bottom = -1;
            int left = cols;
            int right = -1;
            for (int p = 0; p < logits.length; p++) {
                if (ReferenceDecoding.sigmoid(logits[p]) > threshold) {
                    on[p] = 1;
                    top = Math.min(top, p / cols);
                    bottom = Math.max(bottom, p / cols);
                    left = Math.min(left, p % cols);
                    right = Math.max(right, p % cols);
                }
            }
            if (bottom < 0) {
                continue; // the decoder drops instances without on cells before rendering
            }
            int height = 1 + rnd.nextInt(rnd.nextBoolean() ? 2 * rows + 2 : 120);
            int width = 1 + rnd.nextInt(rnd.nextBoolean() ? 2 * cols + 2 : 120);
            renderer.frameSize(height, width);
            MaskInstance near = renderer.renderNear(logits, on, 0, 0.5f, top, bottom, left, right);
            MaskInstance full = renderer.render(logits, on, 0, 0.5f, 0, height, 0, width);
            if (full == null) {
                assertThat(near).isNull();
                empty++;
                continue;
            }
            rendered++;
            assertThat(near).isNotNull();
            assertThat(near.rleCounts()).isEqualTo(full.rleCounts());
            assertThat(near.box()).isEqualTo(full.box());
            assertThat(near.area()).isEqualTo(full.area());
            assertAgreesWithTheReference(full, logits, rows, cols, threshold, height, width);
        }
        assertThat(rendered).isGreaterThan(1500);
        assertThat(empty).as("maps with on cells that no pixel samples").isPositive();
    }

    private static void assertAgreesWithTheReference(MaskInstance instance, float[] logits, int rows, int cols,
                                                     double threshold, int height, int width) {
        double[][] cells = new double[rows][cols];
        for (int p = 0; p < logits.length; p++) {
            cells[p / cols][p % cols] = logits[p];
        }
        double[] frame = ReferenceDecoding.resize(cells, height, width);
        byte[] mask = CocoRle.decode(instance.rleCounts(), height, width);
        double logitThreshold = Math.log(threshold / (1 - threshold));
        for (int p = 0; p < frame.length; p++) {
            boolean on = ReferenceDecoding.sigmoid(frame[p]) > threshold;
            if ((mask[p] != 0) != on) {
                assertThat(Math.abs(frame[p] - logitThreshold)).as("pixel %d", p).isLessThan(1e-9);
            }
        }
    }

    private static float[] logits(SplittableRandom rnd, int rows, int cols, double logitThreshold) {
        float[] logits = new float[rows * cols];
        float at = (float) logitThreshold;
        switch (rnd.nextInt(4)) {
            case 0 -> { // noise around the threshold
                double offset = rnd.nextDouble(-4, 2);
                for (int p = 0; p < logits.length; p++) {
                    logits[p] = (float) (logitThreshold + offset + rnd.nextDouble(-3, 3));
                }
            }
            case 1 -> { // a blob
                double cy = rnd.nextDouble(-1, rows);
                double cx = rnd.nextDouble(-1, cols);
                double radius = rnd.nextDouble(0.3, 4);
                for (int p = 0; p < logits.length; p++) {
                    double dy = p / cols - cy;
                    double dx = p % cols - cx;
                    logits[p] = (float) (logitThreshold + 3 - 6 * Math.sqrt(dy * dy + dx * dx) / radius);
                }
            }
            case 2 -> { // one on cell, often in a corner
                java.util.Arrays.fill(logits, at - 5);
                int r = rnd.nextBoolean() ? (rnd.nextBoolean() ? 0 : rows - 1) : rnd.nextInt(rows);
                int c = rnd.nextBoolean() ? (rnd.nextBoolean() ? 0 : cols - 1) : rnd.nextInt(cols);
                logits[r * cols + c] = at + (float) rnd.nextDouble(0.01, 3);
            }
            default -> { // cells exactly at the threshold, one ulp either side, and a few clear ones
                float[] choices = {Math.nextDown(at), at, Math.nextUp(at), at - 2, at + 2};
                for (int p = 0; p < logits.length; p++) {
                    logits[p] = choices[rnd.nextInt(rnd.nextInt(4) == 0 ? 5 : 3)];
                }
            }
        }
        return logits;
    }
}
