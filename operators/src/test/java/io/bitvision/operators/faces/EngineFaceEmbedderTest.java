package io.bitvision.operators.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitvision.engine.track.Box;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class EngineFaceEmbedderTest {
    /** The engine module's face fixtures: a first binary embedder export and PyTorch's outputs for it. */
    private static final Path FIXTURES = Path.of("..", "engine", "src", "test", "resources", "face-v1");

    private static byte[] gunzip(Path path) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
            return in.readAllBytes();
        }
    }

    private static float[] chw(byte[] hwc) {
        int plane = 112 * 112;
        float[] out = new float[3 * plane];
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                out[c * plane + p] = hwc[p * 3 + c] & 0xFF;
            }
        }
        return out;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void embedsAnAlignedCropAsPyTorchDoes() throws Exception {
        EngineFaceEmbedder embedder = new EngineFaceEmbedder(Files.readAllBytes(FIXTURES.resolve("face.bvm")));
        byte[] raw = gunzip(FIXTURES.resolve("face-0.embedding.f32.gz"));
        float[] expected = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(expected);

        float[] actual = embedder.embedAligned(chw(gunzip(FIXTURES.resolve("face-0.rgb.gz"))));

        assertThat(actual).hasSize(128);
        assertThat(cosine(actual, expected)).isGreaterThan(0.99999);
        assertThat(cosine(actual, actual)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(embedder.id()).startsWith("bvm:face-embedder:");
    }

    @Test
    void aSerializedCopyGivesTheSameEmbeddingOfABoxCrop() throws Exception {
        EngineFaceEmbedder embedder = new EngineFaceEmbedder(Files.readAllBytes(FIXTURES.resolve("face.bvm")));
        byte[] frame = new byte[90 * 120 * 3];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (byte) (i * 31 % 251);
        }
        Box box = new Box(20, 10, 50, 60);
        float[] before = embedder.embed(frame, 90, 120, box);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(embedder);
        }
        EngineFaceEmbedder copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (EngineFaceEmbedder) in.readObject();
        }

        assertThat(copy.embed(frame, 90, 120, box)).containsExactly(before);
        assertThat(copy.id()).isEqualTo(embedder.id());
    }

    @Test
    void aModelThatIsNotAFaceEmbedderIsRefused() throws Exception {
        byte[] person = Files.readAllBytes(Path.of("..", "models", "person-v1.bvm"));
        assertThatThrownBy(() -> new EngineFaceEmbedder(person))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a face embedder");
    }
}
