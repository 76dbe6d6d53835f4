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
 * Post-processing of a centre-based instance head (model metadata {@code decoder=centerinst-v1}). The model's
 * outputs:
 * <ul>
 *   <li>{@code heatmap}: float32 [1, h, w], instance-centre probabilities (already sigmoid), usually stride 8;</li>
 *   <li>{@code heads}: float32 [4 + D, h, w], per-pixel linear heads: objectness logit, D mask kernel weights,
 *   mask bias, then the weights wx and wy of a spatial prior around the centre;</li>
 *   <li>{@code mask_features}: bit tensor [D, h4, w4], any size.</li>
 * </ul>
 * Each heatmap peak (a cell at least as hot as its neighbours and at least {@code peak_threshold}; at most
 * {@code max_instances}, hottest first) is a candidate. Its heads and centre are the heat-weighted averages over
 * the 3 x 3 cells around it; score sqrt(heat * sigmoid(objectness)) times the mean probability of the mask cells
 * above the mask threshold; mask logits = kernel . features + bias + spatial_scale * (wx * (u - cu)^2 +
 * wy * (v - cv)^2) in normalised image coordinates, resized bilinearly to the frame. Class 0; sorted by score, at
 * most {@code max_instances}; no NMS. With {@code mask_component=nearest}, only the 4-connected piece of on cells
 * nearest the centre is kept ({@link NearestComponent}). training/bitvision_train/person/decode.py runs the same steps.
 *
 * <p>Keeps scratch arrays between calls: use one decoder per thread.
 */
public final class CenterInstDecoder implements InstanceDecoder {
    public static final String DECODER_ID = "centerinst-v1";
    public static final String HEATMAP_OUTPUT = "heatmap";
    public static final String HEADS_OUTPUT = "heads";
    public static final String MASK_FEATURES_OUTPUT = "mask_features";
    /** Every output this decoder reads. */
    public static final List<String> OUTPUTS = List.of(HEATMAP_OUTPUT, HEADS_OUTPUT, MASK_FEATURES_OUTPUT);
    public static final float DEFAULT_SCORE_THRESHOLD = 0.3f;
    public static final float DEFAULT_MASK_THRESHOLD = 0.45f;
    public static final int DEFAULT_MAX_INSTANCES = 30;
    public static final float DEFAULT_PEAK_THRESHOLD = 0.1f;
    public static final float DEFAULT_SPATIAL_SCALE = 100f;
    /** Head channels before the mask kernel: objectness logit. */
    private static final int KERNEL_OFFSET = 1;
    /** Head channels beside the mask kernel: objectness, mask bias, wx, wy. */
    private static final int EXTRA_HEADS = 4;

    private final Model model;
    private final DecoderOutputs outputs;
    private final TensorSpec heatmapSpec;
    private final TensorSpec headsSpec;
    private final TensorSpec maskFeaturesSpec;
    private final int kernelSize;
    private final float scoreThreshold;
    private final float maskThreshold;
    private final int maxInstances;
    private final float spatialScale;

    private final CenterPeaks peaks;
    private final double[] headValues;
    private final MaskFeatures maskFeatures;
    private final double[] logitSums;
    /** Spatial prior terms of one candidate: wx * (u - cu)^2 per mask column, wy * (v - cv)^2 per mask row. */
    private final double[] columnPrior;
    private final double[] rowPrior;
    /** One slot per peak, in peak order. */
    private final CandidateMasks masks;
    /** Null unless the model asks for one piece per mask ({@code mask_component=nearest}). */
    private final NearestComponent nearestComponent;

    public CenterInstDecoder(Model model) {
        this(model, DecoderMetadata.scoreThreshold(model.metadata(), DEFAULT_SCORE_THRESHOLD));
    }

    private CenterInstDecoder(Model model, float scoreThreshold) {
        this.model = model;
        Map<String, String> metadata = model.metadata();
        DecoderMetadata.requireDecoder(model, DECODER_ID);
        outputs = new DecoderOutputs(model, DECODER_ID, OUTPUTS);
        heatmapSpec = outputs.spec(HEATMAP_OUTPUT, DataType.FLOAT32);
        headsSpec = outputs.spec(HEADS_OUTPUT, DataType.FLOAT32);
        maskFeaturesSpec = outputs.spec(MASK_FEATURES_OUTPUT, DataType.BITS);
        if (heatmapSpec.channels() != 1) {
            throw outputs.invalid("heatmap " + heatmapSpec + " must have one channel");
        }
        if (headsSpec.height() != heatmapSpec.height() || headsSpec.width() != heatmapSpec.width()) {
            throw outputs.invalid("heads " + headsSpec + " and heatmap " + heatmapSpec
                    + " must have the same height and width");
        }
        kernelSize = maskFeaturesSpec.channels();
        if (headsSpec.channels() != EXTRA_HEADS + kernelSize) {
            throw outputs.invalid("mask_features " + maskFeaturesSpec + " has D = " + kernelSize + " channels, so heads "
                    + "needs 4 + D = " + (EXTRA_HEADS + kernelSize) + " channels, but " + headsSpec + " has "
                    + headsSpec.channels());
        }
        this.scoreThreshold = DecoderMetadata.checkScoreThreshold(scoreThreshold);
        this.maskThreshold = DecoderMetadata.maskThreshold(metadata, DEFAULT_MASK_THRESHOLD);
        this.maxInstances = DecoderMetadata.maxInstances(metadata, DEFAULT_MAX_INSTANCES);
        float peakThreshold = DecoderMetadata.floatSetting(metadata, MetadataKeys.PEAK_THRESHOLD, DEFAULT_PEAK_THRESHOLD);
        // Above 0, so every window's heat sum (which includes its peak) is positive.
        if (!(peakThreshold > 0f && peakThreshold <= 1f)) {
            throw new IllegalArgumentException(MetadataKeys.PEAK_THRESHOLD + " must be in (0, 1]: " + peakThreshold);
        }
        this.spatialScale = DecoderMetadata.floatSetting(metadata, MetadataKeys.SPATIAL_SCALE, DEFAULT_SPATIAL_SCALE);
        if (!(spatialScale >= 0f && spatialScale < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(MetadataKeys.SPATIAL_SCALE + " must be finite and at least 0: "
                    + spatialScale);
        }

        peaks = new CenterPeaks(heatmapSpec.height(), heatmapSpec.width(), peakThreshold, maxInstances);
        headValues = new double[headsSpec.channels()];
        maskFeatures = new MaskFeatures(maskFeaturesSpec);
        logitSums = new double[maskFeatures.cells()];
        columnPrior = new double[maskFeaturesSpec.width()];
        rowPrior = new double[maskFeaturesSpec.height()];
        masks = new CandidateMasks(maxInstances, maskFeaturesSpec.height(), maskFeaturesSpec.width(), maskThreshold);
        String component = metadata.getOrDefault(MetadataKeys.MASK_COMPONENT, "all");
        if (!component.equals("all") && !component.equals("nearest")) {
            throw new IllegalArgumentException(MetadataKeys.MASK_COMPONENT + " must be 'all' or 'nearest': " + component);
        }
        nearestComponent = component.equals("nearest")
                ? new NearestComponent(maskFeaturesSpec.height(), maskFeaturesSpec.width()) : null;
    }

    @Override
    public CenterInstDecoder withScoreThreshold(float threshold) {
        return new CenterInstDecoder(model, threshold);
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
        FloatTensor heatmap = (FloatTensor) outputs.read(engine, HEATMAP_OUTPUT, heatmapSpec);
        FloatTensor heads = (FloatTensor) outputs.read(engine, HEADS_OUTPUT, headsSpec);
        maskFeatures.unpack(outputs.read(engine, MASK_FEATURES_OUTPUT, maskFeaturesSpec));

        int found = peaks.find(heatmap.data(), heatmap.index(0, 0, 0));
        List<Candidate> candidates = new ArrayList<>();
        for (int slot = 0; slot < found; slot++) {
            Candidate candidate = score(slot, peaks.cell(slot), heatmap, heads);
            if (candidate != null) {
                candidates.add(candidate);
            }
        }
        return masks.renderBest(candidates, maxInstances);
    }

    /** The peak at {@code cell}'s final score and on cells, or null when it cannot reach the threshold. */
    private Candidate score(int slot, int cell, FloatTensor heatmap, FloatTensor heads) {
        int rows = heatmapSpec.height();
        int cols = heatmapSpec.width();
        int pixels = rows * cols;
        float[] heat = heatmap.data();
        int heatFrom = heatmap.index(0, 0, 0);
        float[] headData = heads.data();
        int headsFrom = heads.index(0, 0, 0);
        int peakY = cell / cols;
        int peakX = cell % cols;
        int top = Math.max(0, peakY - 1);
        int bottom = Math.min(rows - 1, peakY + 1);
        int left = Math.max(0, peakX - 1);
        int right = Math.min(cols - 1, peakX + 1);

        double weight = 0;
        double u = 0;
        double v = 0;
        for (int y = top; y <= bottom; y++) {
            for (int x = left; x <= right; x++) {
                double a = heat[heatFrom + y * cols + x];
                weight += a;
                u += a * ((x + 0.5) / cols);
                v += a * ((y + 0.5) / rows);
            }
        }
        for (int c = 0; c < headValues.length; c++) {
            int channelFrom = headsFrom + c * pixels;
            double sum = 0;
            for (int y = top; y <= bottom; y++) {
                for (int x = left; x <= right; x++) {
                    sum += heat[heatFrom + y * cols + x] * (double) headData[channelFrom + y * cols + x];
                }
            }
            headValues[c] = sum / weight;
        }
        double score = Math.sqrt(heat[heatFrom + cell] * sigmoid(headValues[0]));
        if ((float) score < scoreThreshold) {
            return null; // the mask score is at most 1, so the final score cannot pass either
        }
        maskLogits(masks.logits(slot), u / weight, v / weight);
        if (nearestComponent != null) {
            nearestComponent.keep(masks.logits(slot), maskThreshold, u / weight, v / weight);
        }
        return masks.score(slot, score, scoreThreshold);
    }

    /** m_p = kernel . features[p] + bias + S * (wx * (u_p - cu)^2 + wy * (v_p - cv)^2), in double, stored as float. */
    private void maskLogits(float[] out, double centreU, double centreV) {
        maskFeatures.linear(headValues, KERNEL_OFFSET, headValues[KERNEL_OFFSET + kernelSize], logitSums);
        double wx = headValues[KERNEL_OFFSET + kernelSize + 1];
        double wy = headValues[KERNEL_OFFSET + kernelSize + 2];
        int cols = columnPrior.length;
        int rows = rowPrior.length;
        for (int x = 0; x < cols; x++) {
            double d = (x + 0.5) / cols - centreU;
            columnPrior[x] = wx * d * d;
        }
        for (int y = 0; y < rows; y++) {
            double d = (y + 0.5) / rows - centreV;
            rowPrior[y] = wy * d * d;
        }
        for (int y = 0; y < rows; y++) {
            int row = y * cols;
            for (int x = 0; x < cols; x++) {
                out[row + x] = (float) (logitSums[row + x] + spatialScale * (columnPrior[x] + rowPrior[y]));
            }
        }
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }
}
