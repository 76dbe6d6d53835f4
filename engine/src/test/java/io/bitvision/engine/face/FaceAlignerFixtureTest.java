package io.bitvision.engine.face;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The Java alignment against the training side's: {@code bitvision_train/face/align.py} wrote the fixture (see its
 * docstring to rewrite it), an image, its landmarks and the crop numpy computed in float64.
 */
class FaceAlignerFixtureTest {
    private static final Path FIXTURE = Path.of("src/test/resources/face-align");

    @Test
    void matchesTheTrainingSideAlignment() throws IOException {
        List<String> lines = Files.readAllLines(FIXTURE.resolve("fixture.txt")).stream()
                .filter(line -> !line.startsWith("#"))
                .toList();
        String[] size = lines.get(0).trim().split("\\s+");
        int height = Integer.parseInt(size[0]);
        int width = Integer.parseInt(size[1]);
        float[] landmarks = new float[FaceAligner.LANDMARK_VALUES];
        for (int i = 0; i < 5; i++) {
            String[] xy = lines.get(1 + i).trim().split("\\s+");
            landmarks[2 * i] = Float.parseFloat(xy[0]);
            landmarks[2 * i + 1] = Float.parseFloat(xy[1]);
        }
        byte[] rgb = Files.readAllBytes(FIXTURE.resolve("image.rgb"));
        float[] expected = new float[3 * FaceAligner.SIZE * FaceAligner.SIZE];
        try (InputStream in = new GZIPInputStream(Files.newInputStream(FIXTURE.resolve("expected.f32.gz")))) {
            ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(expected);
        }

        float[] out = new float[expected.length];
        FaceAligner.align(rgb, height, width, landmarks, out);

        double maxDifference = 0;
        int zeros = 0;
        for (int i = 0; i < out.length; i++) {
            maxDifference = Math.max(maxDifference, Math.abs(out[i] - expected[i]));
            zeros += expected[i] == 0f ? 1 : 0;
        }
        assertThat(maxDifference).isLessThan(1e-3);
        assertThat(zeros).as("part of the crop lies outside the frame").isPositive();
    }
}
