package io.bitvision.engine.instance;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.instance.CandidateMasks.Candidate;
import io.bitvision.engine.model.MetadataKeys;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.FloatTensor;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.ArrayList;
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
public final class SparseInstDecoder implements InstanceDecoder {
    public static final String DECODER_ID = "sparseinst-v1";
    public static final String IAM_OUTPUT = "iam";
    public static final String HEADS_OUTPUT = "heads";
    public static final String MASK_FEATURES_OUTPUT = "mask_features";
    /** Every output this decoder reads. */
    public static final List<String> OUTPUTS = List.of(IAM_OUTPUT, HEADS_OUTPUT, MASK_FEATURES_OUTPUT);
    public static final float DEFAULT_SCORE_THRESHOLD = 0.3f;
    public static final float DEFAULT_MASK_THRESHOLD = 0.45f;
    public static final int DEFAULT_MAX_INSTANCES = 100;
    /** SparseInst's normaliser term: keeps the weighted average finite for an all-zero activation map. */
    private static final float NORMALIZER_EPSILON = 1e-6f;
    /** Head channels before the mask kernel: class logit, objectness logit. */
    private static final int KERNEL_OFFSET = 2;

    private final Model model;
    private final DecoderOutputs outputs;
    private final TensorSpec iamSpec;
    private final TensorSpec headsSpec;
    private final TensorSpec maskFeaturesSpec;
    private final int kernelSize;
    private final float scoreThreshold;
    private final float maskThreshold;
    private final int maxInstances;

    private final double[] headValues;
    private final MaskFeatures maskFeatures;
    private final double[] logitSums;
    /** One slot per instance query. */
    private final CandidateMasks masks;

    public SparseInstDecoder(Model model) {
        this(model, DecoderMetadata.scoreThreshold(model.metadata(), DEFAULT_SCORE_THRESHOLD));
    }

    private SparseInstDecoder(Model model, float scoreThreshold) {
        this.model = model;
        Map<String, String> metadata = model.metadata();
        DecoderMetadata.requireDecoder(model, DECODER_ID);
        outputs = new DecoderOutputs(model, DECODER_ID, OUTPUTS);
        iamSpec = outputs.spec(IAM_OUTPUT, DataType.FLOAT32);
        headsSpec = outputs.spec(HEADS_OUTPUT, DataType.FLOAT32);
        maskFeaturesSpec = outputs.spec(MASK_FEATURES_OUTPUT, DataType.BITS);
        if (headsSpec.height() != iamSpec.height() || headsSpec.width() != iamSpec.width()) {
            throw outputs.invalid("heads " + headsSpec + " and iam " + iamSpec + " must have the same height and width");
        }
        kernelSize = headsSpec.channels() - KERNEL_OFFSET - 1;
        if (kernelSize < 1 || kernelSize != maskFeaturesSpec.channels()) {
            throw outputs.invalid("heads has " + headsSpec.channels() + " channels, so its mask kernel has D = "
                    + kernelSize + " weights, but mask_features " + maskFeaturesSpec + " has "
                    + maskFeaturesSpec.channels() + " channels (heads needs 3 + D)");
        }
        this.scoreThreshold = DecoderMetadata.checkScoreThreshold(scoreThreshold);
        this.maskThreshold = DecoderMetadata.maskThreshold(metadata, DEFAULT_MASK_THRESHOLD);
        this.maxInstances = DecoderMetadata.maxInstances(metadata, DEFAULT_MAX_INSTANCES);

        headValues = new double[headsSpec.channels()];
        maskFeatures = new MaskFeatures(maskFeaturesSpec);
        logitSums = new double[maskFeatures.cells()];
        masks = new CandidateMasks(iamSpec.channels(), maskFeaturesSpec.height(), maskFeaturesSpec.width(), maskThreshold);
    }

    /** Whether the model's metadata names this decoder. */
    public static boolean supports(Model model) {
        return DECODER_ID.equals(model.metadata().get(MetadataKeys.DECODER));
    }

    @Override
    public SparseInstDecoder withScoreThreshold(float threshold) {
        return new SparseInstDecoder(model, threshold);
    }

    @Override
    public float scoreThreshold() {
        return scoreThreshold;
    }

    @Override
    public float maskThreshold() {
        return maskThreshold;
    }

    public int maxInstances() {
        return maxInstances;
    }

    @Override
    public List<MaskInstance> decode(InferenceEngine engine, int frameHeight, int frameWidth) {
        masks.frameSize(frameHeight, frameWidth);
        FloatTensor iam = (FloatTensor) outputs.read(engine, IAM_OUTPUT, iamSpec);
        FloatTensor heads = (FloatTensor) outputs.read(engine, HEADS_OUTPUT, headsSpec);
        maskFeatures.unpack(outputs.read(engine, MASK_FEATURES_OUTPUT, maskFeaturesSpec));

        List<Candidate> candidates = new ArrayList<>();
        for (int n = 0; n < iamSpec.channels(); n++) {
            Candidate candidate = score(n, iam, heads);
            if (candidate != null) {
                candidates.add(candidate);
            }
        }
        return masks.renderBest(candidates, maxInstances);
    }

    /** Instance n's final score and on cells, or null when it cannot reach the threshold. */
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
        maskFeatures.linear(headValues, KERNEL_OFFSET, headValues[KERNEL_OFFSET + kernelSize], logitSums);
        float[] logits = masks.logits(n);
        for (int p = 0; p < logits.length; p++) {
            logits[p] = (float) logitSums[p];
        }
        return masks.score(n, classScore, scoreThreshold);
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }
}
