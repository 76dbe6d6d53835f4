package io.bitvision.operators.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fixed-point scaler against a plain double-precision bilinear reference. Bound: weights in 1/256 move a value by at
 * most 255 * 0.5/256 per axis, and the final rounding by 0.5: 1.5 levels in all.
 */
class PreviewScalerTest {
    private static double sample(byte[] rgb, int height, int width, double x, double y, int channel) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        int xa = Math.clamp(x0, 0, width - 1), xb = Math.clamp(x0 + 1, 0, width - 1);
        int ya = Math.clamp(y0, 0, height - 1), yb = Math.clamp(y0 + 1, 0, height - 1);
        double top = (rgb[(ya * width + xa) * 3 + channel] & 0xff) * (1 - fx) + (rgb[(ya * width + xb) * 3 + channel] & 0xff) * fx;
        double bottom = (rgb[(yb * width + xa) * 3 + channel] & 0xff) * (1 - fx) + (rgb[(yb * width + xb) * 3 + channel] & 0xff) * fx;
        return top * (1 - fy) + bottom * fy;
    }

    @Test
    void matchesBilinearWithinItsRoundingBoundOnRandomFramesAndSizes() {
        Random random = new Random(20261207);
        for (int round = 0; round < 60; round++) {
            int width = 2 + random.nextInt(300);
            int height = 2 + random.nextInt(200);
            int maxWidth = 1 + random.nextInt(width);
            byte[] rgb = new byte[width * height * 3];
            random.nextBytes(rgb);
            PreviewScaler.Scaled scaled = new PreviewScaler(maxWidth).scale(rgb, height, width);
            assertThat(scaled.width()).isEqualTo(maxWidth);
            assertThat(scaled.height()).isEqualTo(Math.max(1, Math.round((float) height * maxWidth / width)));
            for (int oy = 0; oy < scaled.height(); oy++) {
                for (int ox = 0; ox < scaled.width(); ox++) {
                    double x = (ox + 0.5) * width / scaled.width() - 0.5;
                    double y = (oy + 0.5) * height / scaled.height() - 0.5;
                    for (int c = 0; c < 3; c++) {
                        int got = scaled.bgr()[(oy * scaled.width() + ox) * 3 + (2 - c)] & 0xff;
                        assertThat((double) got).as("round %d, %dx%d -> %d wide, pixel (%d, %d) channel %d", round, width,
                                height, maxWidth, ox, oy, c).isCloseTo(sample(rgb, height, width, x, y, c),
                                org.assertj.core.api.Assertions.within(1.5));
                    }
                }
            }
        }
    }

    @Test
    void aFrameNoWiderThanTheLimitIsCopiedExactlyInBgrOrder() {
        byte[] rgb = new byte[5 * 4 * 3];
        new Random(3).nextBytes(rgb);
        PreviewScaler.Scaled same = new PreviewScaler(640).scale(rgb, 4, 5);
        for (int i = 0; i < 20; i++) {
            assertThat(same.bgr()[i * 3]).isEqualTo(rgb[i * 3 + 2]);
            assertThat(same.bgr()[i * 3 + 1]).isEqualTo(rgb[i * 3 + 1]);
            assertThat(same.bgr()[i * 3 + 2]).isEqualTo(rgb[i * 3]);
        }
    }

    @Test
    void aFrameOfTheWrongLengthIsRefused() {
        assertThatThrownBy(() -> new PreviewScaler(320).scale(new byte[10], 4, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("48 RGB bytes, got 10");
    }
}
