package io.bitvision.engine.person;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.face.CenterFaceDecoder;
import io.bitvision.engine.face.DetectedFace;
import io.bitvision.engine.face.FaceDetector;
import io.bitvision.engine.kernel.KernelStrategy;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.engine.tensor.FloatTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shipped binary face detector (models/face-detector-v2.bvm, training/bitvision_train/face/detect.py) on our
 * engine: every integer tensor equals PyTorch's deploy form bit for bit, the float outputs agree, and the decoder
 * finds the faces the Python decoder finds, in the input's pixels and in a frame twice its size (reference values
 * from {@code python3 -m bitvision_train.face.detect_fixtures}).
 */
class FaceDetectorExactnessTest {
    static final Path FIXTURES = Path.of("src", "test", "resources", "face-detector-v2");

    @ParameterizedTest
    @EnumSource(value = KernelStrategy.class, names = {"SCALAR", "VECTOR", "VECTOR_BYTES"})
    void everyIntegerActivationAndTheFloatOutputsEqualPyTorch(KernelStrategy strategy) throws Exception {
        Model model = ModelReader.read(FIXTURES.resolve("face-detector.bvm"));
        assertThat(model.metadata()).containsEntry("task", CenterFaceDecoder.TASK)
                .containsEntry("decoder", CenterFaceDecoder.DECODER_ID);
        InferenceEngine engine = InferenceEngine.builder(PersonModelExactnessTest.withEveryTensorKept(model))
                .kernels(strategy).build();
        List<ReferenceCase> cases = ReferenceCase.parse(FIXTURES);
        assertThat(cases).hasSize(3);
        for (ReferenceCase c : cases) {
            engine.packImage(c.input());
            engine.run();
            assertThat(c.tensorDigests()).hasSizeGreaterThan(40);
            for (Map.Entry<Integer, String> expected : c.tensorDigests().entrySet()) {
                assertThat(PersonModelExactnessTest.digest(engine.tensor(expected.getKey())))
                        .as("%s: tensor %d (%s)", c.name(), expected.getKey(), engine.tensor(expected.getKey()).spec())
                        .isEqualTo(expected.getValue());
            }
            for (String output : List.of("heatmap", "heads")) {
                float[] expected = c.floats(output);
                FloatTensor actual = (FloatTensor) engine.output(output);
                assertThat((long) actual.spec().channels() * actual.spec().pixels()).isEqualTo(expected.length);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(actual.data()[actual.index(0, 0, 0) + i]).as("%s %s[%d]", c.name(), output, i)
                            .isCloseTo(expected[i], within(1e-4f * Math.max(1f, Math.abs(expected[i]))));
                }
            }
        }
    }

    @Test
    void findsTheFacesThePythonDecoderFinds() throws Exception {
        FaceDetector detector = new FaceDetector(ModelReader.read(FIXTURES.resolve("face-detector.bvm")));
        List<String> lines = Files.readAllLines(FIXTURES.resolve("faces.txt"));
        int compared = 0;
        for (ReferenceCase c : ReferenceCase.parse(FIXTURES)) {
            List<float[]> expected = new ArrayList<>();
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f[0].equals("face") && f[1].equals(c.name())) {
                    float[] v = new float[f.length - 2];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = Float.parseFloat(f[i + 2]);
                    }
                    expected.add(v);
                }
            }
            List<DetectedFace> found = detector.detect(c.input(), 240, 320);
            assertThat(found).as(c.name()).hasSize(expected.size());
            for (int k = 0; k < found.size(); k++) {
                assertFace(found.get(k), expected.get(k), 1f, c.name() + " face " + k);
            }
            List<DetectedFace> doubled = detector.detect(doubled(c.input(), 240, 320), 480, 640);
            assertThat(doubled).hasSize(expected.size());
            for (int k = 0; k < doubled.size(); k++) {
                assertFace(doubled.get(k), expected.get(k), 2f, c.name() + " face " + k + " in the doubled frame");
            }
            compared += found.size();
        }
        assertThat(compared).as("faces compared over the cases").isGreaterThan(0);
    }

    /** {score, x, y, w, h, l0..l9} at {@code scale} times the input's pixels. */
    private static void assertFace(DetectedFace face, float[] expected, float scale, String what) {
        assertThat(face.score()).as(what + " score").isCloseTo(expected[0], within(1e-4f));
        float[] box = {face.box().x(), face.box().y(), face.box().width(), face.box().height()};
        for (int i = 0; i < 4; i++) {
            assertThat(box[i]).as(what + " box[" + i + "]").isCloseTo(expected[1 + i] * scale, within(0.02f * scale));
        }
        float[] landmarks = face.landmarks();
        for (int i = 0; i < landmarks.length; i++) {
            assertThat(landmarks[i]).as(what + " landmark value " + i).isCloseTo(expected[5 + i] * scale, within(0.02f * scale));
        }
    }

    /** Every pixel repeated 2x2: nearest resize back to the input picks exactly the original pixels. */
    private static byte[] doubled(byte[] rgb, int height, int width) {
        byte[] out = new byte[rgb.length * 4];
        for (int y = 0; y < 2 * height; y++) {
            for (int x = 0; x < 2 * width; x++) {
                System.arraycopy(rgb, ((y / 2) * width + x / 2) * 3, out, (y * 2 * width + x) * 3, 3);
            }
        }
        return out;
    }
}
