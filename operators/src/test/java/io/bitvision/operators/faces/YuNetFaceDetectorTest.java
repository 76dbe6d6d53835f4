package io.bitvision.operators.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.bitvision.engine.face.DetectedFace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against the fixture of training/bitvision_train/face/yunet_fixtures.py: a seeded random network in YuNet's layout
 * and the faces its Python reference decodes (scores, boxes, landmarks, non-maximum suppression).
 */
class YuNetFaceDetectorTest {
    private static final int SMALL_H = 120;
    private static final int SMALL_W = 160;
    private static final Map<String, List<float[]>> EXPECTED = new HashMap<>();
    private static byte[] small;
    private static byte[] large;
    private static YuNetFaceDetector fixed;
    private static YuNetFaceDetector dynamic;

    @BeforeAll
    static void load() {
        small = resource("small.rgb");
        large = resource("large.rgb");
        String current = null;
        for (String line : new String(resource("expected.txt"), StandardCharsets.US_ASCII).split("\n")) {
            String[] f = line.trim().split(" ");
            if (f[0].equals("case")) {
                current = f[1];
                EXPECTED.put(current, new ArrayList<>());
                continue;
            }
            float[] values = new float[f.length];
            for (int i = 0; i < f.length; i++) {
                values[i] = Float.parseFloat(f[i]);
            }
            EXPECTED.get(current).add(values);
        }
        fixed = new YuNetFaceDetector(resource("fixed.onnx"));
        dynamic = new YuNetFaceDetector(resource("dynamic.onnx"));
    }

    @AfterAll
    static void close() throws Exception {
        fixed.close();
        dynamic.close();
    }

    static byte[] resource(String name) {
        try (InputStream in = YuNetFaceDetectorTest.class.getResourceAsStream("/faces/yunet/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture /faces/yunet/" + name
                        + " (bitvision_train.face.yunet_fixtures)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertSameFaces(List<DetectedFace> actual, String expectedCase) {
        List<float[]> expected = EXPECTED.get(expectedCase);
        assertThat(expected).as("fixture case %s", expectedCase).hasSizeGreaterThan(3);
        assertThat(actual).as(expectedCase).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            float[] e = expected.get(i);
            DetectedFace a = actual.get(i);
            String what = expectedCase + " face " + i;
            assertThat(a.box().x()).as(what).isCloseTo(e[0], within(2e-3f));
            assertThat(a.box().y()).as(what).isCloseTo(e[1], within(2e-3f));
            assertThat(a.box().width()).as(what).isCloseTo(e[2], within(2e-3f));
            assertThat(a.box().height()).as(what).isCloseTo(e[3], within(2e-3f));
            assertThat(a.score()).as(what).isCloseTo(e[4], within(1e-5f));
            float[] landmarks = a.landmarks();
            for (int k = 0; k < 10; k++) {
                assertThat(landmarks[k]).as("%s landmark value %d", what, k).isCloseTo(e[5 + k], within(2e-3f));
            }
        }
    }

    @Test
    void decodesAFrameThatFitsTheInputAsTheReferenceDoes() {
        assertSameFaces(fixed.detect(small, SMALL_H, SMALL_W), "fixed-small");
    }

    @Test
    void scalesALargerFrameDownAndReportsFacesInItsPixels() {
        // large.rgb is small.rgb with every pixel doubled: at scale 1/2 the model sees the same input,
        // and every box and landmark comes back twice as far from the origin.
        assertSameFaces(fixed.detect(large, 2 * SMALL_H, 2 * SMALL_W), "fixed-large");
        List<DetectedFace> atSmall = fixed.detect(small, SMALL_H, SMALL_W);
        List<DetectedFace> atLarge = fixed.detect(large, 2 * SMALL_H, 2 * SMALL_W);
        assertThat(atLarge.get(0).box().x()).isCloseTo(2 * atSmall.get(0).box().x(), within(1e-3f));
    }

    @Test
    void aDynamicModelTakesTheFramePaddedToAMultipleOf32() {
        assertThat(dynamic.inputSize(SMALL_H, SMALL_W)).containsExactly(128, 160);
        assertThat(dynamic.inputSize(1080, 1920)).containsExactly(384, 640);
        assertThat(fixed.inputSize(1080, 1920)).containsExactly(160, 160);
        assertSameFaces(dynamic.detect(small, SMALL_H, SMALL_W), "dynamic-small");
    }

    @Test
    void aHigherThresholdKeepsOnlyTheFacesAboveIt() {
        List<DetectedFace> all = fixed.detect(small, SMALL_H, SMALL_W);
        float cut = all.get(all.size() / 2).score();
        try (YuNetFaceDetector strict = new YuNetFaceDetector(resource("fixed.onnx"), "strict", cut + 1e-6f)) {
            List<DetectedFace> kept = strict.detect(small, SMALL_H, SMALL_W);
            assertThat(kept).isNotEmpty().hasSizeLessThan(all.size()).allSatisfy(f -> assertThat(f.score()).isGreaterThan(cut));
            assertThat(strict.id()).isEqualTo("strict");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void detectsTheSameAfterJavaSerialization() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(fixed);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()));
                YuNetFaceDetector copy = (YuNetFaceDetector) in.readObject()) {
            assertThat(copy.id()).isEqualTo(fixed.id()).startsWith("onnx:");
            assertSameFaces(copy.detect(small, SMALL_H, SMALL_W), "fixed-small");
        }
    }

    @Test
    void modelsOfAnotherLayoutAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> new YuNetFaceDetector(resource("wrong-input.onnx")))
                .isInstanceOf(InvalidFaceModelException.class)
                .hasMessageContaining("[1, 3, 100, 100]").hasMessageContaining("multiples of 32");
        assertThatThrownBy(() -> new YuNetFaceDetector(resource("wrong-output.onnx")))
                .isInstanceOf(InvalidFaceModelException.class).hasMessageContaining("no output kps_32");
        assertThatThrownBy(() -> new YuNetFaceDetector("not a model".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(InvalidFaceModelException.class).hasMessageContaining("not a loadable ONNX model");
    }

    @Test
    void aFrameOfTheWrongSizeIsRefused() {
        assertThatThrownBy(() -> fixed.detect(small, SMALL_H + 1, SMALL_W))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes");
    }
}
