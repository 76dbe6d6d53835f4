package io.bitvision.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitvision.engine.graph.ExecContext;
import io.bitvision.engine.graph.PatchPackOp;
import io.bitvision.engine.reference.RefTensor;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Packing pixels straight into stem patch words equals packing the image and then running the patch pack, on the
 * scalar path and (where the Vector API is present) on the vector path.
 */
class PatchImagePackerTest {

    @Test
    void directPackingEqualsImagePackThenPatchPack() {
        SplittableRandom rnd = new SplittableRandom(11);
        int cases = 0;
        while (cases < 400) {
            int channels = 1 + rnd.nextInt(8);
            int kh = 1 + rnd.nextInt(5);
            int kw = 1 + rnd.nextInt(5);
            if (channels * kh * kw > 64) {
                continue;
            }
            PatchPackOp stem = new PatchPackOp(kh, kw, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3), rnd.nextInt(3),
                    rnd.nextInt(3), 1 + rnd.nextInt(2), 1 + rnd.nextInt(2));
            TensorSpec image = TensorSpec.bits(8, channels, 1 + rnd.nextInt(20), 1 + rnd.nextInt(90));
            TensorSpec patches;
            try {
                patches = stem.outputSpec(new TensorSpec[] {image});
            } catch (IllegalArgumentException kernelDoesNotFit) {
                continue;
            }
            cases++;
            boolean[] paths = io.bitvision.engine.kernel.Kernels.vectorAvailable()
                    ? new boolean[] {false, true} : new boolean[] {false};
            PatchImagePacker[] packers = new PatchImagePacker[paths.length];
            for (int p = 0; p < paths.length; p++) {
                packers[p] = new PatchImagePacker(image, stem, paths[p]);
            }
            for (int frame = 0; frame < 2; frame++) { // the second image must not see rows cached from the first
                byte[] pixels = new byte[channels * image.height() * image.width()];
                rnd.nextBytes(pixels);
                BitTensor packedImage = BitTensor.allocate(image, 2, 2);
                ImagePacker.pack(pixels, packedImage);
                BitTensor expected = BitTensor.allocate(patches, 0, 0);
                stem.forward(new Tensor[] {packedImage}, expected, new ExecContext(null, new long[0], new long[0], new float[0]));
                for (int p = 0; p < paths.length; p++) {
                    BitTensor actual = BitTensor.allocate(patches, 1, 1);
                    java.util.Arrays.fill(actual.data(), -1L); // stale arena contents must be overwritten
                    actual.clearHalo();
                    if (frame == 0 || patches.height() < 2) {
                        packers[p].pack(pixels, actual);
                    } else { // two bands, as row-band threads call it
                        int split = patches.height() / 2;
                        packers[p].packRows(pixels, actual, split, patches.height());
                        packers[p].packRows(pixels, actual, 0, split);
                    }
                    assertThat(RefTensor.of(actual).sameAs(RefTensor.of(expected)))
                            .as("case %d frame %d (vector %s): %s over %s: %s", cases, frame, paths[p],
                                    java.util.Arrays.toString(stem.parameters()), image,
                                    RefTensor.of(actual).firstDifference(RefTensor.of(expected)))
                            .isTrue();
                    assertThat(io.bitvision.engine.testing.Checks.dirtyPadding(actual)).as("padding bits of case %d", cases)
                            .isNull();
                }
            }
        }
    }

    @Test
    void refusesAnImageOfTheWrongSizeAndStemsItCannotPack() {
        PatchPackOp stem = new PatchPackOp(3, 3, 2, 2, 1, 1, 1, 1);
        TensorSpec image = TensorSpec.bits(8, 3, 8, 8);
        PatchImagePacker packer = new PatchImagePacker(image, stem);
        BitTensor out = BitTensor.allocate(stem.outputSpec(new TensorSpec[] {image}), 0, 0);
        assertThatThrownBy(() -> packer.pack(new byte[10], out)).hasMessageContaining("needs 192");
        assertThatThrownBy(() -> new PatchImagePacker(TensorSpec.bits(8, 9, 8, 8), stem))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PatchImagePacker(TensorSpec.bits(1, 3, 8, 8), stem))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
