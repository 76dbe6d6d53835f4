package io.bitvision.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.TensorSpec;
import io.bitvision.engine.testing.Checks;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImagePackerTest {

    @Test
    void everyByteLandsInItsEightPlanes() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (int channels : new int[] {1, 3, 4, 8, 9, 20, 64}) {
            int height = 1 + rnd.nextInt(9);
            int width = 1 + rnd.nextInt(17);
            BitTensor input = BitTensor.allocate(TensorSpec.bits(8, channels, height, width), 1, 2);
            java.util.Arrays.fill(input.data(), -1L); // stale arena contents must be overwritten
            input.clearHalo();
            byte[] pixels = new byte[height * width * channels];
            rnd.nextBytes(pixels);
            ImagePacker.pack(pixels, input);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    for (int c = 0; c < channels; c++) {
                        assertThat(input.intValue(c, y, x)).as("%d channels at %d,%d,%d", channels, c, y, x)
                                .isEqualTo(pixels[(y * width + x) * channels + c] & 0xFF);
                    }
                }
            }
            assertThat(Checks.dirtyPadding(input)).as("%d channels", channels).isNull();
        }
    }

    @Test
    void wrongSizesAreRefused() {
        BitTensor input = BitTensor.allocate(TensorSpec.bits(8, 3, 4, 4), 0, 0);
        assertThatThrownBy(() -> ImagePacker.pack(new byte[10], input)).hasMessageContaining("needs 48");
        BitTensor binary = BitTensor.allocate(TensorSpec.bits(1, 3, 4, 4), 0, 0);
        assertThatThrownBy(() -> ImagePacker.pack(new byte[48], binary)).hasMessageContaining("8-bit");
    }
}
