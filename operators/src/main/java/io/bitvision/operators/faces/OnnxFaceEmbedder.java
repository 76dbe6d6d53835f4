package io.bitvision.operators.faces;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * A float ONNX face embedder in ONNX Runtime on the CPU, for models in the layout of OpenCV's SFace
 * ({@code face_recognition_sface_2021dec.onnx}): one float input [1, 3, 112, 112], RGB 0-255, NCHW; one float
 * output [1, N]. The face is aligned by its five landmarks ({@link AlignedFace}) or cropped by its box; the output is
 * L2-normalised.
 *
 * <p>Serializable: it keeps the model bytes and opens its own session, once per instance, when first used
 * after deserialization. The constructor opens one at once, so a model of the wrong shape fails there with
 * an {@link InvalidFaceModelException}.
 */
public final class OnnxFaceEmbedder implements FaceEmbedder, AutoCloseable {
    private static final long serialVersionUID = 1L;
    private static final long[] INPUT_SHAPE = {1, 3, AlignedFace.SFACE_SIZE, AlignedFace.SFACE_SIZE};

    private final byte[] model;
    private final String id;
    private transient volatile Loaded loaded;

    /** Embedder id {@code "onnx:"} and the first 16 hex digits of the model's SHA-256. */
    public OnnxFaceEmbedder(byte[] model) {
        this(model, defaultId(model));
    }

    public OnnxFaceEmbedder(byte[] model, String id) {
        this.model = model.clone();
        this.id = id;
        loaded();
    }

    public static String defaultId(byte[] model) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(model);
            return "onnx:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    /** Length of the embeddings, N of the model's [1, N] output. */
    public int dimensions() {
        return loaded().dimensions;
    }

    @Override
    public float[] embedAligned(float[] input) {
        if (input.length != 3 * AlignedFace.SFACE_SIZE * AlignedFace.SFACE_SIZE) {
            throw new IllegalArgumentException("an aligned face is 3x112x112 values, not " + input.length);
        }
        Loaded l = loaded();
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(input),
                        INPUT_SHAPE);
                OrtSession.Result result = l.session.run(Map.of(l.inputName, tensor))) {
            float[] embedding = ((float[][]) result.get(0).getValue())[0];
            return Embeddings.normalise(embedding);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on face model " + id, e);
        }
    }

    @Override
    public synchronized void close() throws OrtException {
        if (loaded != null) {
            loaded.session.close();
            loaded = null;
        }
    }

    private Loaded loaded() {
        Loaded l = loaded;
        if (l == null) {
            synchronized (this) {
                l = loaded;
                if (l == null) {
                    l = load();
                    loaded = l;
                }
            }
        }
        return l;
    }

    private Loaded load() {
        return OnnxSessions.open(model, OnnxFaceEmbedder::validated);
    }

    private static Loaded validated(OrtSession session) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (inputs.size() != 1 || outputs.size() != 1) {
            throw new InvalidFaceModelException("face model must have one input and one output, not "
                    + inputs.keySet() + " and " + outputs.keySet());
        }
        NodeInfo input = inputs.values().iterator().next();
        long[] in = floatTensorShape(input, "input");
        if (!matches(in, INPUT_SHAPE)) {
            throw new InvalidFaceModelException("face model input " + input.getName() + " is "
                    + Arrays.toString(in) + ", not " + Arrays.toString(INPUT_SHAPE) + " (SFace: RGB 0-255, NCHW)");
        }
        NodeInfo output = outputs.values().iterator().next();
        long[] out = floatTensorShape(output, "output");
        if (out.length != 2 || !(out[0] == 1 || out[0] == -1) || out[1] <= 0) {
            throw new InvalidFaceModelException("face model output " + output.getName() + " is "
                    + Arrays.toString(out) + ", not [1, N]");
        }
        return new Loaded(session, input.getName(), (int) out[1]);
    }

    private static long[] floatTensorShape(NodeInfo node, String role) {
        if (!(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            throw new InvalidFaceModelException("face model " + role + " " + node.getName()
                    + " is not a float tensor: " + node.getInfo());
        }
        return t.getShape();
    }

    /** Equal shapes, where a dynamic dimension (-1) of the model's matches anything. */
    private static boolean matches(long[] declared, long[] wanted) {
        if (declared.length != wanted.length) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (declared[i] != -1 && declared[i] != wanted[i]) {
                return false;
            }
        }
        return true;
    }

    /** The open session and what it was validated to take and give. */
    private record Loaded(OrtSession session, String inputName, int dimensions) {}
}
