package io.bitvision.engine.face;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.instance.CenterPeaks;
import io.bitvision.engine.instance.DecoderMetadata;
import io.bitvision.engine.instance.DecoderOutputs;
import io.bitvision.engine.model.MetadataKeys;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.FloatTensor;
import io.bitvision.engine.tensor.TensorSpec;
import io.bitvision.engine.track.Box;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decoder {@value #DECODER_ID}: faces of a CenterNet-style detector (docs/face-model.md). Outputs: {@code heatmap}
 * float [1, h, w] (centre probabilities) and {@code heads} float [14, h, w]: per cell the sub-cell offset of the
 * centre (dx, dy), the log size (log(w / size_base), log(h / size_base)) and the five landmarks as offsets from
 * the centre in box units. A face is a cell whose heat reaches the score threshold and no neighbour's exceeds;
 * its values are read at that cell. The Python mirror is training/bitvision_train/face/detect.decode.
 */
public final class CenterFaceDecoder {
    public static final String DECODER_ID = "centerface-v1";
    public static final String TASK = "face-detection";
    static final String HEATMAP = "heatmap";
    static final String HEADS = "heads";
    static final int HEAD_CHANNELS = 4 + FaceAligner.LANDMARK_VALUES;

    private final DecoderOutputs outputs;
    private final TensorSpec heatSpec;
    private final TensorSpec headsSpec;
    private final float stride;
    private final float sizeBase;
    private final CenterPeaks peaks;

    /** @throws IllegalArgumentException when the model's outputs or metadata break this decoder's contract */
    public CenterFaceDecoder(Model model) {
        DecoderMetadata.requireDecoder(model, DECODER_ID);
        outputs = new DecoderOutputs(model, DECODER_ID, List.of(HEATMAP, HEADS));
        heatSpec = outputs.spec(HEATMAP, DataType.FLOAT32);
        headsSpec = outputs.spec(HEADS, DataType.FLOAT32);
        if (heatSpec.channels() != 1 || headsSpec.channels() != HEAD_CHANNELS || headsSpec.height() != heatSpec.height()
                || headsSpec.width() != heatSpec.width()) {
            throw outputs.invalid("heatmap must be [1,h,w] and heads [" + HEAD_CHANNELS + ",h,w]; they are " + heatSpec
                    + " and " + headsSpec);
        }
        Map<String, String> metadata = model.metadata();
        stride = DecoderMetadata.floatSetting(metadata, MetadataKeys.STRIDE, 8f);
        sizeBase = DecoderMetadata.floatSetting(metadata, MetadataKeys.SIZE_BASE, 32f);
        TensorSpec input = model.graph().input();
        if (Math.abs(heatSpec.height() * stride - input.height()) > 0.5f || Math.abs(heatSpec.width() * stride - input.width()) > 0.5f) {
            throw outputs.invalid("stride " + stride + " does not take the " + heatSpec.height() + "x" + heatSpec.width()
                    + " grid to the " + input.height() + "x" + input.width() + " input");
        }
        float threshold = DecoderMetadata.scoreThreshold(metadata, 0.3f);
        int maxFaces = (int) DecoderMetadata.floatSetting(metadata, MetadataKeys.MAX_FACES, 50f);
        if (maxFaces < 1) {
            throw outputs.invalid(MetadataKeys.MAX_FACES + " must be at least 1");
        }
        peaks = new CenterPeaks(heatSpec.height(), heatSpec.width(), threshold, maxFaces);
    }

    /** The faces of the engine's last run, best first, in the pixels of a {@code frameWidth x frameHeight} frame. */
    public List<DetectedFace> decode(InferenceEngine engine, int frameWidth, int frameHeight) {
        FloatTensor heat = (FloatTensor) outputs.read(engine, HEATMAP, heatSpec);
        FloatTensor heads = (FloatTensor) outputs.read(engine, HEADS, headsSpec);
        int cols = heatSpec.width();
        int found = peaks.find(heat.data(), heat.index(0, 0, 0));
        float sx = frameWidth / (cols * stride);
        float sy = frameHeight / (heatSpec.height() * stride);
        List<DetectedFace> faces = new ArrayList<>(found);
        for (int rank = 0; rank < found; rank++) {
            int cell = peaks.cell(rank);
            int cy = cell / cols;
            int cx = cell % cols;
            double fx = (cx + 0.5 + heads.floatValue(0, cy, cx)) * stride;
            double fy = (cy + 0.5 + heads.floatValue(1, cy, cx)) * stride;
            double w = sizeBase * Math.exp(heads.floatValue(2, cy, cx));
            double h = sizeBase * Math.exp(heads.floatValue(3, cy, cx));
            float[] landmarks = new float[FaceAligner.LANDMARK_VALUES];
            for (int k = 0; k < FaceAligner.LANDMARK_VALUES / 2; k++) {
                landmarks[2 * k] = (float) ((fx + heads.floatValue(4 + 2 * k, cy, cx) * w) * sx);
                landmarks[2 * k + 1] = (float) ((fy + heads.floatValue(5 + 2 * k, cy, cx) * h) * sy);
            }
            Box box = new Box((float) ((fx - w / 2) * sx), (float) ((fy - h / 2) * sy), (float) (w * sx), (float) (h * sy));
            faces.add(new DetectedFace(box, heat.data()[heat.index(0, cy, cx)], landmarks));
        }
        return faces;
    }
}
