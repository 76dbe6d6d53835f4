package io.bitvision.engine.person;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.instance.MaskInstance;
import io.bitvision.engine.instance.InstanceDecoders;
import io.bitvision.engine.kernel.KernelStrategy;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.engine.post.CocoRle;
import io.bitvision.engine.tensor.FloatTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped person model across the Python/Java boundary: the engine computes every integer activation of the
 * exported graph bit for bit as PyTorch's deploy form does, decodes the same masks, and ONNX Runtime on the exported
 * ONNX agrees with both. Reference values come from {@code python3 -m bitvision_train.person.fixtures} on the same model.
 */
class PersonModelExactnessTest {
    static final Path MODEL = Path.of("..", "models", "person-v1.bvm");
    static final Path ONNX = Path.of("..", "models", "person-v1.onnx");
    static final Path FIXTURES = Path.of("src", "test", "resources", "person-v1");
    static final List<String> FLOAT_OUTPUTS = List.of("heatmap", "heads");
    static final String MASK_FEATURES = "mask_features";

    static Model model;
    static List<ReferenceCase> cases;

    @BeforeAll
    static void load() throws IOException {
        model = ModelReader.read(MODEL);
        cases = ReferenceCase.parse(FIXTURES);
    }

    static List<ReferenceCase> cases() throws IOException {
        return ReferenceCase.parse(FIXTURES);
    }

    @ParameterizedTest
    @EnumSource(value = KernelStrategy.class, names = {"SCALAR", "VECTOR", "VECTOR_BYTES"})
    void everyIntegerActivationEqualsPyTorchBitForBit(KernelStrategy strategy) throws Exception {
        // Every tensor is made a graph output so that the memory plan keeps it alive to the end of the run.
        InferenceEngine engine = InferenceEngine.builder(withEveryTensorKept(model)).kernels(strategy).build();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(2);
        for (ReferenceCase c : cases) {
            run(engine, c);
            assertThat(c.tensorDigests()).hasSizeGreaterThan(50);
            for (Map.Entry<Integer, String> expected : c.tensorDigests().entrySet()) {
                assertThat(digest(engine.tensor(expected.getKey())))
                        .as("%s: tensor %d (%s)", c.name(), expected.getKey(), engine.tensor(expected.getKey()).spec())
                        .isEqualTo(expected.getValue());
            }
            for (String output : FLOAT_OUTPUTS) {
                float[] expected = c.floats(output);
                float[] actual = ((FloatTensor) engine.output(output)).data();
                assertClose(c.name() + " " + output, actual, ((FloatTensor) engine.output(output)).index(0, 0, 0), expected, 1e-4f);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void decodedMasksMatchPyTorchWithIouAbove099(ReferenceCase c) throws Exception {
        InferenceEngine engine = InferenceEngine.builder(model).build();
        run(engine, c);
        List<MaskInstance> found = InstanceDecoders.forModel(model).orElseThrow().decode(engine, c.frameHeight(), c.frameWidth());
        if (c.name().startsWith("vtest")) {
            assertThat(c.instances()).as("people in " + c.name()).isNotEmpty();
        }
        assertThat(found).hasSameSizeAs(c.instances());
        for (int i = 0; i < c.instances().size(); i++) {
            ReferenceCase.Instance expected = c.instances().get(i);
            byte[] expectedMask = CocoRle.decode(CocoRle.decompress(expected.rle()), c.frameHeight(), c.frameWidth());
            MaskInstance best = null;
            double bestIou = -1;
            for (MaskInstance candidate : found) {
                double iou = iou(CocoRle.decode(candidate.rleCounts(), c.frameHeight(), c.frameWidth()), expectedMask);
                if (iou > bestIou) {
                    bestIou = iou;
                    best = candidate;
                }
            }
            assertThat(bestIou).as("%s instance %d: best mask IoU with the engine's", c.name(), i).isGreaterThanOrEqualTo(0.99);
            assertThat(best.score()).isCloseTo(expected.score(), org.assertj.core.data.Offset.offset(1e-3f));
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void onnxRuntimeOnTheExportedOnnxAgreesWithEngineAndPyTorch(ReferenceCase c) throws Exception {
        InferenceEngine engine = InferenceEngine.builder(model).build();
        byte[] rgb = run(engine, c);
        TensorSpec input = model.graph().input();
        float[] chw = new float[rgb.length];
        int pixels = input.height() * input.width();
        for (int p = 0; p < pixels; p++) {
            for (int ch = 0; ch < 3; ch++) {
                chw[ch * pixels + p] = rgb[p * 3 + ch] & 0xFF;
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(ONNX.toString(), new OrtSession.SessionOptions());
             OnnxTensor image = OnnxTensor.createTensor(env, FloatBuffer.wrap(chw), new long[] {1, 3, input.height(), input.width()});
             OrtSession.Result result = session.run(Map.of("image", image))) {
            for (String output : FLOAT_OUTPUTS) {
                float[] ort = floats(result, output);
                assertClose(c.name() + " ORT vs PyTorch " + output, ort, 0, c.floats(output), 1e-3f);
                FloatTensor java = (FloatTensor) engine.output(output);
                assertClose(c.name() + " ORT vs engine " + output, ort, 0,
                        floatsOf(java), 1e-3f);
            }
            float[] levels = floats(result, MASK_FEATURES);
            Tensor features = engine.output(MASK_FEATURES);
            TensorSpec spec = features.spec();
            int i = 0;
            for (int ch = 0; ch < spec.channels(); ch++) {
                for (int y = 0; y < spec.height(); y++) {
                    for (int x = 0; x < spec.width(); x++, i++) {
                        assertThat((int) levels[i]).as("%s mask feature %d,%d,%d", c.name(), ch, y, x)
                                .isEqualTo(features.intValue(ch, y, x));
                    }
                }
            }
        }
    }

    static Model withEveryTensorKept(Model m) {
        Graph g = m.graph();
        int[] all = new int[g.tensorCount()];
        List<String> names = new ArrayList<>();
        for (int t = 0; t < all.length; t++) {
            all[t] = t;
            int at = indexOf(g.outputs(), t);
            names.add(at >= 0 ? g.outputNames().get(at) : "tensor" + t);
        }
        return new Model(m.name(), m.version(), new Graph(g.input(), g.nodes(), all, names), m.metadata());
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static float[] floatsOf(FloatTensor t) {
        int n = (int) (t.spec().channels() * t.spec().pixels());
        float[] out = new float[n];
        System.arraycopy(t.data(), t.index(0, 0, 0), out, 0, n);
        return out;
    }

    private static float[] floats(OrtSession.Result result, String name) throws Exception {
        OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow();
        FloatBuffer buffer = t.getFloatBuffer();
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static byte[] run(InferenceEngine engine, ReferenceCase c) throws IOException {
        byte[] rgb = c.input();
        engine.packImage(rgb);
        engine.run();
        return rgb;
    }

    private static void assertClose(String what, float[] actual, int offset, float[] expected, float tolerance) {
        for (int i = 0; i < expected.length; i++) {
            float a = actual[offset + i];
            float e = expected[i];
            if (Math.abs(a - e) > tolerance * Math.max(1f, Math.abs(e))) {
                throw new AssertionError(what + " differs at " + i + ": " + a + " vs " + e);
            }
        }
    }

    /** SHA-256 of a bit or int tensor's values in (c, y, x) order: one byte per value for bit tensors, int32 LE otherwise. */
    static String digest(Tensor t) throws Exception {
        TensorSpec s = t.spec();
        boolean bits = s.type() == io.bitvision.engine.tensor.DataType.BITS;
        ByteBuffer buffer = ByteBuffer.allocate((int) (s.channels() * s.pixels() * (bits ? 1 : 4))).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < s.channels(); c++) {
            for (int y = 0; y < s.height(); y++) {
                for (int x = 0; x < s.width(); x++) {
                    int v = t.intValue(c, y, x);
                    if (bits) {
                        buffer.put((byte) v);
                    } else {
                        buffer.putInt(v);
                    }
                }
            }
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(buffer.array()));
    }

    static double iou(byte[] a, byte[] b) {
        long inter = 0;
        long union = 0;
        for (int i = 0; i < a.length; i++) {
            inter += a[i] & b[i];
            union += a[i] | b[i];
        }
        return union == 0 ? 1.0 : (double) inter / union;
    }

    static byte[] gunzip(Path path) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
            return in.readAllBytes();
        }
    }
}
