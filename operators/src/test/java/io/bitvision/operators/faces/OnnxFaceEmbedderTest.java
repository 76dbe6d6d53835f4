package io.bitvision.operators.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.bitvision.engine.track.Box;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against the fixture of training/bitvision_train/face/onnx_fixtures.py: a seeded random model and PyTorch's embeddings. */
class OnnxFaceEmbedderTest {
    private static byte[] image;
    private static int height;
    private static int width;
    private static final Map<String, Box> BOXES = new HashMap<>();
    private static final Map<String, float[]> EXPECTED = new HashMap<>();
    private static OnnxFaceEmbedder embedder;

    @BeforeAll
    static void loadFixture() {
        for (String line : new String(resource("expected.txt"), StandardCharsets.UTF_8).split("\n")) {
            String[] f = line.trim().split(" ");
            if (f[0].equals("image")) {
                image = resource(f[1]);
                height = Integer.parseInt(f[2]);
                width = Integer.parseInt(f[3]);
            } else if (f[0].equals("box")) {
                BOXES.put(f[1], new Box(Float.parseFloat(f[2]), Float.parseFloat(f[3]), Float.parseFloat(f[4]),
                        Float.parseFloat(f[5])));
                float[] e = new float[f.length - 6];
                for (int i = 0; i < e.length; i++) {
                    e[i] = Float.parseFloat(f[6 + i]);
                }
                EXPECTED.put(f[1], e);
            }
        }
        embedder = new OnnxFaceEmbedder(resource("model.onnx"));
    }

    @AfterAll
    static void close() throws Exception {
        embedder.close();
    }

    private static byte[] resource(String name) {
        try (InputStream in = OnnxFaceEmbedderTest.class.getResourceAsStream("/faces/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture /faces/" + name + " (bitvision_train.face.onnx_fixtures)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertMatchesPyTorch(float[] actual, String box) {
        float[] expected = EXPECTED.get(box);
        assertThat(actual).hasSize(128);
        double cosine = 0;
        for (int i = 0; i < expected.length; i++) {
            cosine += (double) actual[i] * expected[i];
            assertThat(actual[i]).as("%s[%d]", box, i).isCloseTo(expected[i], within(1e-4f));
        }
        assertThat(cosine).isGreaterThan(0.9999);
    }

    @Test
    void embedsTheBoxAsPyTorchDoes() {
        assertMatchesPyTorch(embedder.embed(image, height, width, BOXES.get("inside")), "inside");
        assertThat(embedder.dimensions()).isEqualTo(128);
    }

    @Test
    void clipsABoxPartlyOutsideTheFrame() {
        Box overhanging = BOXES.get("clipped");
        assertThat(overhanging.x()).isNegative();
        assertThat(overhanging.y() + overhanging.height()).isGreaterThan(height);
        float[] clipped = embedder.embed(image, height, width, overhanging);
        assertMatchesPyTorch(clipped, "clipped");
        // The same pixels as the box already clipped by hand.
        assertThat(embedder.embed(image, height, width, new Box(0, 100, 60, 60))).containsExactly(clipped);
    }

    @Test
    void embedsTheSameAfterJavaSerialization() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(embedder);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()));
                OnnxFaceEmbedder copy = (OnnxFaceEmbedder) in.readObject()) {
            assertThat(copy.id()).isEqualTo(embedder.id());
            Box box = BOXES.get("inside");
            assertThat(copy.embed(image, height, width, box)).containsExactly(embedder.embed(image, height, width, box));
        }
    }

    @Test
    void idDefaultsToTheModelDigest() throws Exception {
        assertThat(embedder.id()).matches("onnx:[0-9a-f]{16}");
        assertThat(embedder.id()).isEqualTo(OnnxFaceEmbedder.defaultId(resource("model.onnx")));
        assertThat(OnnxFaceEmbedder.defaultId(resource("wrong-input.onnx"))).isNotEqualTo(embedder.id());
        try (OnnxFaceEmbedder named = new OnnxFaceEmbedder(resource("model.onnx"), "sface-2021dec")) {
            assertThat(named.id()).isEqualTo("sface-2021dec");
        }
    }

    @Test
    void rejectsAModelWithTheWrongInputSize() {
        assertThatThrownBy(() -> new OnnxFaceEmbedder(resource("wrong-input.onnx")))
                .isInstanceOf(InvalidFaceModelException.class)
                .hasMessageContaining("[1, 3, 96, 96]")
                .hasMessageContaining("[1, 3, 112, 112]");
    }

    @Test
    void rejectsAModelWhoseOutputIsNotOneVector() {
        assertThatThrownBy(() -> new OnnxFaceEmbedder(resource("wrong-output.onnx")))
                .isInstanceOf(InvalidFaceModelException.class)
                .hasMessageContaining("[1, 8, 1, 1]")
                .hasMessageContaining("not [1, N]");
    }

    @Test
    void rejectsBytesThatAreNotAModel() {
        assertThatThrownBy(() -> new OnnxFaceEmbedder("not a model".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidFaceModelException.class)
                .hasMessageContaining("not a loadable ONNX model");
    }
}
