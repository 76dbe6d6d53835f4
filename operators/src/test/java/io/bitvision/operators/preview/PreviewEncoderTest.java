package io.bitvision.operators.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PreviewEncoderTest {
    /** Left half red, right half blue: colour order and geometry both show in the decoded JPEG. */
    private static byte[] halves(int height, int width) {
        byte[] rgb = new byte[height * width * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                rgb[i] = (byte) (x < width / 2 ? 220 : 10);
                rgb[i + 2] = (byte) (x < width / 2 ? 10 : 220);
            }
        }
        return rgb;
    }

    @Test
    void downscalesKeepingTheAspectAndTheColours() throws Exception {
        PreviewEncoder.Jpeg jpeg = new PreviewEncoder(320).encode(halves(576, 768), 576, 768);

        assertThat(jpeg.width()).isEqualTo(320);
        assertThat(jpeg.height()).isEqualTo(240);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg.bytes()));
        assertThat(decoded.getWidth()).isEqualTo(320);
        assertThat(decoded.getHeight()).isEqualTo(240);
        int left = decoded.getRGB(60, 120);
        int right = decoded.getRGB(260, 120);
        assertThat((left >> 16) & 0xff).as("red on the left").isGreaterThan(180);
        assertThat(left & 0xff).as("little blue on the left").isLessThan(60);
        assertThat(right & 0xff).as("blue on the right").isGreaterThan(180);
        assertThat((right >> 16) & 0xff).as("little red on the right").isLessThan(60);
    }

    @Test
    void aFrameNarrowerThanTheWidthKeepsItsSize() throws Exception {
        PreviewEncoder.Jpeg jpeg = new PreviewEncoder(640).encode(halves(90, 160), 90, 160);

        assertThat(jpeg.width()).isEqualTo(160);
        assertThat(jpeg.height()).isEqualTo(90);
        assertThat(ImageIO.read(new ByteArrayInputStream(jpeg.bytes())).getWidth()).isEqualTo(160);
    }

    @Test
    void aFrameOfTheWrongLengthIsRefused() {
        assertThatThrownBy(() -> new PreviewEncoder(320).encode(new byte[10], 4, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("48 RGB bytes, got 10");
    }
}
