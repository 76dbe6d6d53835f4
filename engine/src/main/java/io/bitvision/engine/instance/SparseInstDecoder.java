package io.bitvision.engine.instance;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.model.MetadataKeys;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.FloatTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Post-processing of a SparseInst-style instance head (model metadata {@code decoder=sparseinst-v1}). The
 * model's outputs:
 * <ul>
 *   <li>{@code iam}: float32 [N, h, w], instance activation maps, already sigmoid probabilities;</li>
 *   <li>{@code heads}: float32 [3 + D, h, w], per-pixel linear heads: class logit, objectness logit, D mask
 *   kernel weights, mask bias. Being linear, applying them per pixel and then averaging with the IAM weights
 *   equals SparseInst's heads on the IAM-weighted instance feature;</li>
 *   <li>{@code mask_features}: bit tensor [D, h4, w4], any size.</li>
 * </ul>
 * Per instance: IAM-weighted average of the heads, score sqrt(sigmoid(class) * sigmoid(objectness)) times the
 * mean probability of the mask cells above the mask threshold, mask logits = kernel . features + bias, resized
 * bilinearly to the frame. Every instance gets class 0, even when the metadata lists several classes: the head
 * has a single class logit. No NMS (SparseInst has none): sorted by score, at most {@code max_instances}.
 *
 * <p>Keeps scratch arrays between calls: use one decoder per thread.
 */
public final class SparseInstDecoder {
    public static final String DECODER_ID = "sparseinst-v1";
    public static final String IAM_OUTPUT = "iam";
    public static final String HEADS_OUTPUT = "heads";
    public static final String MASK_FEATURES_OUTPUT = "mask_features";
    public static final float DEFAULT_SCORE_THRESHOLD = 0.3f;
    public static final float DEFAULT_MASK_THRESHOLD = 0.45f;
    public static final int DEFAULT_MAX_INSTANCES = 100;
    /** SparseInst's normaliser term: keeps the weighted average finite for an all-zero activation map. */
    private static final float NORMALIZER_EPSILON = 1e-6f;
    /** Head channels before the mask kernel: class logit, objectness logit. */
    private static final int KERNEL_OFFSET = 2;

    private final Model model;
    private final TensorSpec iamSpec;
    private final TensorSpec headsSpec;
    private final TensorSpec maskFeaturesSpec;
    private final int kernelSize;
    private final float scoreThreshold;
    private final float maskThreshold;
    private final int maxInstances;

    private final double[] headValues;
    /** mask_features as numbers, [D][h4 * w4]: unpacked once per frame, read once per instance. */
    private final float[] maskFeatures;
    private final double[] logitSums;
    private final float[][] logits;
    private final byte[][] cellOn;
    private final LogitMaskRenderer renderer;

    public SparseInstDecoder(Model model) {
        this(model, scoreThresholdOf(model.metadata()));
    }

    private SparseInstDecoder(Model model, float scoreThreshold) {
        this.model = model;
        Map<String, String> metadata = model.metadata();
        String decoder = metadata.get(MetadataKeys.DECODER);
        if (decoder != null && !decoder.equals(DECODER_ID)) {
            throw new IllegalArgumentException("model '" + model.name() + "' declares decoder '" + decoder
                    + "', not " + DECODER_ID);
        }
        iamSpec = outputSpec(model, IAM_OUTPUT);
        headsSpec = outputSpec(model, HEADS_OUTPUT);
        maskFeaturesSpec = outputSpec(model, MASK_FEATURES_OUTPUT);
        requireType(model, IAM_OUTPUT, iamSpec, DataType.FLOAT32);
        requireType(model, HEADS_OUTPUT, headsSpec, DataType.FLOAT32);
        requireType(model, MASK_FEATURES_OUTPUT, maskFeaturesSpec, DataType.BITS);
        if (headsSpec.height() != iamSpec.height() || headsSpec.width() != iamSpec.width()) {
            throw new IllegalArgumentException("model '" + model.name() + "': heads " + headsSpec
                    + " and iam " + iamSpec + " must have the same height and width");
        }
        kernelSize = headsSpec.channels() - KERNEL_OFFSET - 1;
        if (kernelSize < 1 || kernelSize != maskFeaturesSpec.channels()) {
            throw new IllegalArgumentException("model '" + model.name() + "': heads has " + headsSpec.channels()
                    + " channels, so its mask kernel has D = " + kernelSize + " weights, but mask_features "
                    + maskFeaturesSpec + " has " + maskFeaturesSpec.channels() + " channels (heads needs 3 + D)");
        }
        this.scoreThreshold = checkScoreThreshold(scoreThreshold);
        this.maskThreshold = floatSetting(metadata, MetadataKeys.MASK_THRESHOLD, DEFAULT_MASK_THRESHOLD);
        if (!(maskThreshold > 0f && maskThreshold < 1f)) {
            throw new IllegalArgumentException(MetadataKeys.MASK_THRESHOLD + " must be in (0, 1): " + maskThreshold);
        }
        this.maxInstances = maxInstancesOf(metadata);

        int cells = (int) maskFeaturesSpec.pixels();
        int instances = iamSpec.channels();
        headValues = new double[headsSpec.channels()];
        maskFeatures = new float[Math.multiplyExact(kernelSize, cells)];
        logitSums = new double[cells];
        logits = new float[instances][cells];
        cellOn = new byte[instances][cells];
        renderer = new LogitMaskRenderer(maskFeaturesSpec.height(), maskFeaturesSpec.width(), maskThreshold);
    }

    /** Whether the model's metadata names this decoder. */
    public static boolean supports(Model model) {
        return DECODER_ID.equals(model.metadata().get(MetadataKeys.DECODER));
    }

    /** A decoder for the same model with another score threshold (and its own scratch). */
    public SparseInstDecoder withScoreThreshold(float threshold) {
        return new SparseInstDecoder(model, threshold);
    }

    public float scoreThreshold() {
        return scoreThreshold;
    }

    public float maskThreshold() {
        return maskThreshold;
    }

    public int maxInstances() {
        return maxInstances;
    }

    /**
     * Instances of the frame the engine last ran on, in frame pixels, best score first.
     *
     * @param engine an engine of this decoder's model (or one with the same outputs), after {@code run()}
     */
    public List<MaskInstance> decode(InferenceEngine engine, int frameHeight, int frameWidth) {
        renderer.frameSize(frameHeight, frameWidth);
        FloatTensor iam = (FloatTensor) output(engine, IAM_OUTPUT, iamSpec);
        FloatTensor heads = (FloatTensor) output(engine, HEADS_OUTPUT, headsSpec);
        unpackMaskFeatures(output(engine, MASK_FEATURES_OUTPUT, maskFeaturesSpec));

        List<Candidate> candidates = new ArrayList<>();
        for (int n = 0; n < iamSpec.channels(); n++) {
            Candidate candidate = score(n, iam, heads);
            if (candidate != null) {
                candidates.add(candidate);
            }
        }
        // Rendering is the costly step and only decides whether a mask is empty: render best first, stop when full.
        candidates.sort(Comparator.comparingDouble(Candidate::score).reversed().thenComparingInt(Candidate::instance));
        List<MaskInstance> instances = new ArrayList<>();
        for (Candidate c : candidates) {
            if (instances.size() == maxInstances) {
                break;
            }
            MaskInstance instance = renderer.renderNear(logits[c.instance], cellOn[c.instance], 0, c.score,
                    c.topCell, c.bottomCell, c.leftCell, c.rightCell);
            if (instance != null) {
                instances.add(instance);
            }
        }
        return instances;
    }

    /** Steps 1 to 4 for instance n: its final score and on cells, or null when it cannot reach the threshold. */
    private Candidate score(int n, FloatTensor iam, FloatTensor heads) {
        float[] iamData = iam.data();
        float[] headData = heads.data();
        int pixels = (int) iamSpec.pixels();
        int from = iam.index(n, 0, 0);
        double activation = 0;
        for (int p = 0; p < pixels; p++) {
            activation += iamData[from + p];
        }
        double normalizer = activation + NORMALIZER_EPSILON;
        for (int c = 0; c < headValues.length; c++) {
            int headFrom = heads.index(c, 0, 0);
            double sum = 0;
            for (int p = 0; p < pixels; p++) {
                sum += (double) iamData[from + p] * headData[headFrom + p];
            }
            headValues[c] = sum / normalizer;
        }
        double classScore = Math.sqrt(sigmoid(headValues[0]) * sigmoid(headValues[1]));
        if ((float) classScore < scoreThreshold) {
            return null; // the mask score is at most 1, so the final score cannot pass either
        }
        float[] instanceLogits = logits[n];
        byte[] on = cellOn[n];
        maskLogits(instanceLogits);
        int cols = maskFeaturesSpec.width();
        int top = Integer.MAX_VALUE;
        int bottom = -1;
        int left = Integer.MAX_VALUE;
        int right = -1;
        double probabilitySum = 0;
        int onCount = 0;
        for (int p = 0; p < instanceLogits.length; p++) {
            double probability = sigmoid(instanceLogits[p]);
            if (probability > maskThreshold) {
                on[p] = 1;
                probabilitySum += probability;
                onCount++;
                int row = p / cols;
                int col = p % cols;
                top = Math.min(top, row);
                bottom = Math.max(bottom, row);
                left = Math.min(left, col);
                right = Math.max(right, col);
            } else {
                on[p] = 0;
            }
        }
        if (onCount == 0) {
            return null;
        }
        float score = (float) (classScore * (probabilitySum / onCount));
        if (score < scoreThreshold) {
            return null;
        }
        return new Candidate(n, score, top, bottom, left, right);
    }

    /** m_p = sum over c of kernel[c] * features[c][p], plus the bias; summed in double, stored as float. */
    private void maskLogits(float[] out) {
        int cells = out.length;
        java.util.Arrays.fill(logitSums, headValues[KERNEL_OFFSET + kernelSize]);
        for (int c = 0; c < kernelSize; c++) {
            double weight = headValues[KERNEL_OFFSET + c];
            int from = c * cells;
            for (int p = 0; p < cells; p++) {
                logitSums[p] += weight * maskFeatures[from + p];
            }
        }
        for (int p = 0; p < cells; p++) {
            out[p] = (float) logitSums[p];
        }
    }

    private void unpackMaskFeatures(Tensor features) {
        int rows = maskFeaturesSpec.height();
        int cols = maskFeaturesSpec.width();
        int i = 0;
        for (int c = 0; c < kernelSize; c++) {
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    maskFeatures[i++] = features.intValue(c, y, x);
                }
            }
        }
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    private Tensor output(InferenceEngine engine, String name, TensorSpec expected) {
        Tensor tensor = engine.output(name);
        if (!tensor.spec().equals(expected)) {
            throw new IllegalArgumentException("engine output '" + name + "' is " + tensor.spec()
                    + ", the decoder was built for " + expected + " (model '" + model.name() + "')");
        }
        return tensor;
    }

    private static TensorSpec outputSpec(Model model, String name) {
        int index = model.graph().outputNames().indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("model '" + model.name() + "' has no output '" + name
                    + "' (a " + DECODER_ID + " model needs iam, heads and mask_features); it has "
                    + model.graph().outputNames());
        }
        return model.graph().spec(model.graph().outputs()[index]);
    }

    private static void requireType(Model model, String name, TensorSpec spec, DataType type) {
        if (spec.type() != type) {
            throw new IllegalArgumentException("model '" + model.name() + "': output '" + name + "' is " + spec
                    + ", " + DECODER_ID + " needs " + type.name().toLowerCase());
        }
    }

    private static float scoreThresholdOf(Map<String, String> metadata) {
        return floatSetting(metadata, MetadataKeys.SCORE_THRESHOLD, DEFAULT_SCORE_THRESHOLD);
    }

    private static float checkScoreThreshold(float threshold) {
        if (!(threshold >= 0f && threshold <= 1f)) {
            throw new IllegalArgumentException(MetadataKeys.SCORE_THRESHOLD + " must be in [0, 1]: " + threshold);
        }
        return threshold;
    }

    private static float floatSetting(Map<String, String> metadata, String key, float fallback) {
        String text = metadata.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            return Float.parseFloat(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata " + key + "='" + text + "' is not a number");
        }
    }

    private static int maxInstancesOf(Map<String, String> metadata) {
        String text = metadata.get(MetadataKeys.MAX_INSTANCES);
        if (text == null) {
            return DEFAULT_MAX_INSTANCES;
        }
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata " + MetadataKeys.MAX_INSTANCES + "='" + text + "' is not an integer");
        }
        if (value < 1) {
            throw new IllegalArgumentException(MetadataKeys.MAX_INSTANCES + " must be at least 1: " + value);
        }
        return value;
    }

    /** An instance that passed the thresholds; its logits and on cells are in the scratch rows of its index. */
    private record Candidate(int instance, float score, int topCell, int bottomCell, int leftCell, int rightCell) {}
}
