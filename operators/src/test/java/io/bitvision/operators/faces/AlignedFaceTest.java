package io.bitvision.operators.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bitvision.engine.face.FaceAligner;
import io.bitvision.engine.track.Box;
import org.junit.jupiter.api.Test;

class AlignedFaceTest {
    private static final int HEIGHT = 3;
    private static final int WIDTH = 4;

    /** Frame 3 high, 4 wide, grey (R = G = B); the 2x2 block [[0, 10], [20, 30]] at x 1..2, y 1..2. */
    private static byte[] frame() {
        int[][] grey = {{90, 90, 90, 90}, {90, 0, 10, 90}, {90, 20, 30, 90}};
        byte[] rgb = new byte[HEIGHT * WIDTH * 3];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                for (int c = 0; c < 3; c++) {
                    rgb[(y * WIDTH + x) * 3 + c] = (byte) grey[y][x];
                }
            }
        }
        return rgb;
    }

    @Test
    void upsamplesTheBoxBilinearlyWithPixelCentresAligned() {
        // 2 -> 4: src = max(0, (d + 0.5) / 2 - 0.5) = 0, 0.25, 0.75, 1.25 with the upper index clamped to 1,
        // so the weights of the second row/column are 0, 0.25, 0.75, 1 and out = 20 f(y) + 10 f(x).
        float[] out = AlignedFace.crop(frame(), HEIGHT, WIDTH, new Box(1, 1, 2, 2), 4);
        float[] f = {0f, 0.25f, 0.75f, 1f};
        assertThat(out).hasSize(3 * 16);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    assertThat(out[c * 16 + y * 4 + x]).as("c%d y%d x%d", c, y, x).isCloseTo(20 * f[y] + 10 * f[x],
                            within(1e-5f));
                }
            }
        }
    }

    @Test
    void roundsTheBoxOutwardsToWholePixels() {
        float[] whole = AlignedFace.crop(frame(), HEIGHT, WIDTH, new Box(1, 1, 2, 2), 4);
        float[] fractional = AlignedFace.crop(frame(), HEIGHT, WIDTH, new Box(1.4f, 1.2f, 1.3f, 1.5f), 4);
        assertThat(fractional).containsExactly(whole);
    }

    @Test
    void clipsABoxPartlyOutsideTheFrame() {
        float[] inside = AlignedFace.crop(frame(), HEIGHT, WIDTH, new Box(1, 1, 3, 2), 4);
        float[] overhanging = AlignedFace.crop(frame(), HEIGHT, WIDTH, new Box(1, 1, 10, 7), 4);
        assertThat(overhanging).containsExactly(inside);
    }

    @Test
    void aBoxOutsideTheFrameTakesTheNearestPixel() {
        float[] out = AlignedFace.crop(frame(), HEIGHT, WIDTH, new Box(-50, -50, 5, 5), 2);
        assertThat(out).containsOnly(90f);
    }

    @Test
    void downsamplingAFlatRegionKeepsItsValue() {
        float[] out = AlignedFace.crop(frame(), HEIGHT, WIDTH, new Box(0, 0, 4, 1), 2);
        assertThat(out).containsOnly(90f);
    }

    @Test
    void landmarksAtTheTemplateMovedByAnOffsetCropTheFrameAtThatOffset() {
        // Grey level col + row: linear, so sampling is exact up to the landmarks' float rounding (about 1e-5 px).
        // The frame reaches a pixel past the crop, whose edge samples may lean on it by that much.
        int height = 133;
        int width = 123;
        byte[] rgb = new byte[height * width * 3];
        for (int row = 0; row < height; row++) {
            for (int col = 0; col < width; col++) {
                for (int c = 0; c < 3; c++) {
                    rgb[(row * width + col) * 3 + c] = (byte) (col + row);
                }
            }
        }
        double[] template = FaceAligner.template();
        float[] landmarks = new float[template.length];
        for (int i = 0; i < template.length; i += 2) {
            landmarks[i] = (float) (template[i] + 10);
            landmarks[i + 1] = (float) (template[i + 1] + 20);
        }
        float[] out = AlignedFace.fromLandmarks(rgb, height, width, landmarks);
        int size = AlignedFace.SFACE_SIZE;
        assertThat(out).hasSize(3 * size * size);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    assertThat(out[(c * size + y) * size + x]).as("c%d y%d x%d", c, y, x)
                            .isCloseTo((x + 10) + (y + 20), within(1e-3f));
                }
            }
        }
    }
}
