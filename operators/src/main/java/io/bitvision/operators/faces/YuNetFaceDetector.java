package io.bitvision.operators.faces;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.bitvision.engine.face.DetectedFace;
import io.bitvision.engine.face.FaceAligner;
import io.bitvision.engine.track.Box;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A float face detector in ONNX Runtime on the CPU, for models in the layout of YuNet (libfacedetection.train's
 * {@code yunet_*.onnx}, the model behind OpenCV's {@code FaceDetectorYN}): one float input [1, 3, H, W], BGR 0-255,
 * NCHW; for each stride s of 8, 16 and 32 the outputs {@code cls_s} and {@code obj_s} [1, n, 1], {@code bbox_s}
 * [1, n, 4] and {@code kps_s} [1, n, 10], one row per cell of the (H / s) x (W / s) grid in row-major order.
 *
 * <p>The frame is scaled (bilinear, pixel centres aligned) to fit the input and placed at its top-left; a model with
 * a dynamic input size gets the frame itself, scaled down to at most {@link #DYNAMIC_MAX_SIDE} on its longer side
 * and padded to a multiple of 32. A cell's score is {@code sqrt(clamp(cls) * clamp(obj))}; its box centre
 * {@code ((col + dx) s, (row + dy) s)}, size {@code (exp(dw) s, exp(dh) s)}; landmark i
 * {@code ((col + kx_i) s, (row + ky_i) s)} in YuNet's order, which is {@link FaceAligner}'s (image-left eye first).
 * Faces at or above the score threshold go through greedy non-maximum suppression at IoU {@link #NMS_IOU}.
 *
 * <p>Serializable like {@link OnnxFaceEmbedder}: it keeps the model bytes and opens its session on first use; the
 * constructor opens one at once, so a model of another layout fails there with an {@link InvalidFaceModelException}.
 * Not thread-safe (one per subtask).
 */
public final class YuNetFaceDetector implements FrameFaceDetector, AutoCloseable {
    private static final long serialVersionUID = 1L;
    public static final float DEFAULT_SCORE_THRESHOLD = 0.6f;
    public static final float NMS_IOU = 0.3f;
    public static final int DYNAMIC_MAX_SIDE = 640;
    public static final int MAX_FACES = 500;
    private static final int[] STRIDES = {8, 16, 32};

    private final byte[] model;
    private final String id;
    private final float scoreThreshold;
    private transient volatile Loaded loaded;
    private transient float[] input;

    /** Id {@code "onnx:"} and the first 16 hex digits of the model's SHA-256; score threshold {@value #DEFAULT_SCORE_THRESHOLD}. */
    public YuNetFaceDetector(byte[] model) {
        this(model, OnnxFaceEmbedder.defaultId(model), DEFAULT_SCORE_THRESHOLD);
    }

    public YuNetFaceDetector(byte[] model, String id, float scoreThreshold) {
        if (!(scoreThreshold > 0f && scoreThreshold <= 1f)) {
            throw new IllegalArgumentException("score threshold must be in (0, 1], not " + scoreThreshold);
        }
        this.model = model.clone();
        this.id = id;
        this.scoreThreshold = scoreThreshold;
        loaded();
    }

    @Override
    public String id() {
        return id;
    }

    public float scoreThreshold() {
        return scoreThreshold;
    }

    /** The input size a frame of this size is scaled into: {height, width}. */
    public int[] inputSize(int height, int width) {
        Loaded l = loaded();
        if (l.height > 0) {
            return new int[] {l.height, l.width};
        }
        double scale = Math.min(1.0, (double) DYNAMIC_MAX_SIDE / Math.max(height, width));
        return new int[] {roundUp32((int) Math.round(height * scale)), roundUp32((int) Math.round(width * scale))};
    }

    @Override
    public List<DetectedFace> detect(byte[] rgb, int height, int width) {
        if (height <= 0 || width <= 0 || rgb.length != height * width * 3) {
            throw new IllegalArgumentException("an RGB frame of " + height + "x" + width + " has "
                    + (long) height * width * 3 + " bytes, not " + rgb.length);
        }
        Loaded l = loaded();
        int[] size = inputSize(height, width);
        int inH = size[0];
        int inW = size[1];
        double scale = l.height > 0 ? Math.min((double) inW / width, (double) inH / height)
                : Math.min(1.0, (double) DYNAMIC_MAX_SIDE / Math.max(height, width));
        if (input == null || input.length != 3 * inH * inW) {
            input = new float[3 * inH * inW];
        }
        fillInput(rgb, height, width, inH, inW, scale, input);
        List<DetectedFace> candidates = new ArrayList<>();
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(input),
                        new long[] {1, 3, inH, inW});
                OrtSession.Result result = l.session.run(Map.of(l.inputName, tensor))) {
            for (int stride : STRIDES) {
                decodeStride(result, stride, inH, inW, (float) scale, height, width, candidates);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on face detector " + id, e);
        }
        return FaceSuppression.greedy(candidates, NMS_IOU, MAX_FACES);
    }

    /** BGR planes of the frame scaled by {@code scale} into the top-left of an {@code inH x inW} zero canvas. */
    static void fillInput(byte[] rgb, int height, int width, int inH, int inW, double scale, float[] out) {
        Arrays.fill(out, 0f);
        int plane = inH * inW;
        int outH = Math.min(inH, (int) Math.round(height * scale));
        int outW = Math.min(inW, (int) Math.round(width * scale));
        if (scale == 1.0) {
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    int src = (y * width + x) * 3;
                    int dst = y * inW + x;
                    out[dst] = rgb[src + 2] & 0xff;
                    out[plane + dst] = rgb[src + 1] & 0xff;
                    out[2 * plane + dst] = rgb[src] & 0xff;
                }
            }
            return;
        }
        for (int y = 0; y < outH; y++) {
            double sy = Math.min(Math.max((y + 0.5) / scale - 0.5, 0.0), height - 1.0);
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, height - 1);
            float fy = (float) (sy - y0);
            for (int x = 0; x < outW; x++) {
                double sx = Math.min(Math.max((x + 0.5) / scale - 0.5, 0.0), width - 1.0);
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, width - 1);
                float fx = (float) (sx - x0);
                int dst = y * inW + x;
                for (int c = 0; c < 3; c++) {
                    float top = lerp(rgb[(y0 * width + x0) * 3 + c] & 0xff, rgb[(y0 * width + x1) * 3 + c] & 0xff, fx);
                    float bottom = lerp(rgb[(y1 * width + x0) * 3 + c] & 0xff, rgb[(y1 * width + x1) * 3 + c] & 0xff, fx);
                    out[(2 - c) * plane + dst] = lerp(top, bottom, fy);
                }
            }
        }
    }

    private static float lerp(float a, float b, float t) {
        return a + (b - a) * t;
    }

    private void decodeStride(OrtSession.Result result, int stride, int inH, int inW, float scale, int height,
            int width, List<DetectedFace> out) throws OrtException {
        int cols = inW / stride;
        int cells = (inH / stride) * cols;
        FloatBuffer cls = floats(result, "cls_" + stride, cells, 1);
        FloatBuffer obj = floats(result, "obj_" + stride, cells, 1);
        FloatBuffer bbox = floats(result, "bbox_" + stride, cells, 4);
        FloatBuffer kps = floats(result, "kps_" + stride, cells, 10);
        for (int cell = 0; cell < cells; cell++) {
            float score = (float) Math.sqrt(clamp01(cls.get(cell)) * clamp01(obj.get(cell)));
            if (!(score >= scoreThreshold)) {
                continue;
            }
            int col = cell % cols;
            int row = cell / cols;
            float cx = (col + bbox.get(cell * 4)) * stride / scale;
            float cy = (row + bbox.get(cell * 4 + 1)) * stride / scale;
            float w = (float) Math.exp(bbox.get(cell * 4 + 2)) * stride / scale;
            float h = (float) Math.exp(bbox.get(cell * 4 + 3)) * stride / scale;
            if (!(Float.isFinite(cx) && Float.isFinite(cy) && w > 0 && h > 0 && Float.isFinite(w) && Float.isFinite(h))) {
                continue;
            }
            float[] landmarks = new float[FaceAligner.LANDMARK_VALUES];
            for (int i = 0; i < 5; i++) {
                landmarks[2 * i] = (col + kps.get(cell * 10 + 2 * i)) * stride / scale;
                landmarks[2 * i + 1] = (row + kps.get(cell * 10 + 2 * i + 1)) * stride / scale;
            }
            float x0 = Math.max(0f, cx - w / 2);
            float y0 = Math.max(0f, cy - h / 2);
            float x1 = Math.min(width, cx + w / 2);
            float y1 = Math.min(height, cy + h / 2);
            if (x1 <= x0 || y1 <= y0) {
                continue;
            }
            out.add(new DetectedFace(new Box(x0, y0, x1 - x0, y1 - y0), score, landmarks));
        }
    }

    private static float clamp01(float v) {
        return v < 0f ? 0f : Math.min(v, 1f);
    }

    private static FloatBuffer floats(OrtSession.Result result, String name, int cells, int perCell)
            throws OrtException {
        OnnxValue value = result.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
        FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
        if (buffer.remaining() != (long) cells * perCell) {
            throw new IllegalStateException("face detector output " + name + " has " + buffer.remaining()
                    + " values, not " + cells + " x " + perCell);
        }
        return buffer;
    }

    private static int roundUp32(int v) {
        return Math.max(32, (v + 31) / 32 * 32);
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
        return OnnxSessions.open(model, YuNetFaceDetector::validated);
    }

    private static Loaded validated(OrtSession session) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1) {
            throw new InvalidFaceModelException("a YuNet face detector has one input, not " + inputs.keySet());
        }
        NodeInfo input = inputs.values().iterator().next();
        long[] in = floatShape(input);
        if (in.length != 4 || (in[0] != 1 && in[0] != -1) || in[1] != 3 || (in[2] == -1) != (in[3] == -1)
                || (in[2] != -1 && (in[2] % 32 != 0 || in[3] % 32 != 0 || in[2] <= 0 || in[3] <= 0))) {
            throw new InvalidFaceModelException("face detector input " + input.getName() + " is "
                    + Arrays.toString(in) + ", not [1, 3, H, W] with H and W multiples of 32 (YuNet: BGR 0-255, NCHW)");
        }
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        for (int stride : STRIDES) {
            for (String head : new String[] {"cls", "obj", "bbox", "kps"}) {
                String name = head + "_" + stride;
                NodeInfo node = outputs.get(name);
                if (node == null) {
                    throw new InvalidFaceModelException("face detector has no output " + name + " (YuNet layout: "
                            + "cls/obj/bbox/kps at strides 8, 16, 32); it has " + outputs.keySet());
                }
                long[] shape = floatShape(node);
                long perCell = switch (head) {
                    case "bbox" -> 4;
                    case "kps" -> 10;
                    default -> 1;
                };
                if (shape.length < 2 || (shape[shape.length - 1] != perCell && shape[shape.length - 1] != -1)) {
                    throw new InvalidFaceModelException("face detector output " + name + " is "
                            + Arrays.toString(shape) + ", not [1, cells, " + perCell + "]");
                }
            }
        }
        return new Loaded(session, input.getName(), (int) in[2], (int) in[3]);
    }

    private static long[] floatShape(NodeInfo node) {
        if (!(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            throw new InvalidFaceModelException("face detector tensor " + node.getName() + " is not float: "
                    + node.getInfo());
        }
        return t.getShape();
    }

    /** The open session; height and width are -1 for a model of dynamic input size. */
    private record Loaded(OrtSession session, String inputName, int height, int width) {}
}
