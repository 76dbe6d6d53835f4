package io.bitvision.engine.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FaceAlignerTest {
    private static final int SIZE = FaceAligner.SIZE;
    private static final int PLANE = SIZE * SIZE;

    /** Grey levels {@code 2 col + row + channel}: linear, so bilinear sampling between pixel centres is exact. */
    private static byte[] gradient(int height, int width) {
        byte[] rgb = new byte[height * width * 3];
        for (int row = 0; row < height; row++) {
            for (int col = 0; col < width; col++) {
                for (int c = 0; c < 3; c++) {
                    rgb[(row * width + col) * 3 + c] = (byte) (2 * col + row + c);
                }
            }
        }
        return rgb;
    }

    private static float[] landmarks(SimilarityTransform cropToFrame) {
        double[] template = FaceAligner.template();
        float[] out = new float[template.length];
        for (int i = 0; i < template.length; i += 2) {
            out[i] = (float) cropToFrame.mapX(template[i], template[i + 1]);
            out[i + 1] = (float) cropToFrame.mapY(template[i], template[i + 1]);
        }
        return out;
    }

    @Test
    void warpOfALinearGradientIsExact() {
        int height = 90;
        int width = 80;
        SimilarityTransform cropToFrame = new SimilarityTransform(0.5 * Math.cos(0.2), 0.5 * Math.sin(0.2), 12, 20);
        float[] out = new float[3 * PLANE];
        FaceAligner.warp(gradient(height, width), height, width, cropToFrame, out);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double col = cropToFrame.mapX(x + 0.5, y + 0.5) - 0.5;
                double row = cropToFrame.mapY(x + 0.5, y + 0.5) - 0.5;
                assertThat(col).isBetween(0.0, width - 1.0);
                assertThat(row).isBetween(0.0, height - 1.0);
                for (int c = 0; c < 3; c++) {
                    assertThat(out[c * PLANE + y * SIZE + x]).as("c%d y%d x%d", c, y, x)
                            .isCloseTo((float) (2 * col + row + c), within(1e-4f));
                }
            }
        }
    }

    @Test
    void alignOfLandmarksPlacedByASimilarityIsTheWarpOfItsInverse() {
        int height = 90;
        int width = 80;
        SimilarityTransform cropToFrame = new SimilarityTransform(0.5 * Math.cos(-0.3), 0.5 * Math.sin(-0.3), 10, 25);
        float[] aligned = new float[3 * PLANE];
        FaceAligner.align(gradient(height, width), height, width, landmarks(cropToFrame), aligned);
        float[] warped = new float[3 * PLANE];
        FaceAligner.warp(gradient(height, width), height, width, cropToFrame, warped);
        // Only the landmarks' float rounding (about 4e-6 px) separates the two; the gradient is at most 3 per px.
        assertThat(aligned).containsExactly(warped, within(1e-3f));
    }

    @Test
    void outsideTheFrameReadsZero() {
        byte[] rgb = new byte[10 * 10 * 3];
        java.util.Arrays.fill(rgb, (byte) 200);
        float[] out = new float[3 * PLANE];
        java.util.Arrays.fill(out, -1f);
        // Crop pixel 50 + i samples frame pixel i exactly.
        FaceAligner.warp(rgb, 10, 10, new SimilarityTransform(1, 0, -50, -50), out);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    float expected = x >= 50 && x < 60 && y >= 50 && y < 60 ? 200f : 0f;
                    assertThat(out[c * PLANE + y * SIZE + x]).as("c%d y%d x%d", c, y, x).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void rejectsDegenerateLandmarksAndWrongSizes() {
        byte[] rgb = new byte[20 * 30 * 3];
        float[] out = new float[3 * PLANE];
        float[] same = {4, 4, 4, 4, 4, 4, 4, 4, 4, 4};
        assertThatThrownBy(() -> FaceAligner.align(rgb, 20, 30, same, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("all equal");
        float[] line = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThatThrownBy(() -> FaceAligner.align(rgb, 20, 30, line, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("collinear");
        float[] face = {8, 6, 22, 6, 15, 12, 9, 17, 21, 17};
        assertThatThrownBy(() -> FaceAligner.align(rgb, 20, 30, new float[8], out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaceAligner.align(rgb, 30, 30, face, out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaceAligner.align(rgb, 20, 30, face, new float[3 * 96 * 96]))
                .isInstanceOf(IllegalArgumentException.class);
        FaceAligner.align(rgb, 20, 30, face, out);
    }
}
