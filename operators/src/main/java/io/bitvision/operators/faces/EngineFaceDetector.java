package io.bitvision.operators.faces;

import io.bitvision.engine.face.DetectedFace;
import io.bitvision.engine.face.FaceDetector;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelFormatException;
import io.bitvision.engine.model.ModelReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary face detector (a {@code .bvm} model with {@code task=face-detection}) as a part of a Flink function:
 * keeps the model bytes, checks them when made, builds its engine (one arena) on first use. Not thread-safe: one
 * per subtask.
 */
public final class EngineFaceDetector implements FrameFaceDetector {
    private static final long serialVersionUID = 1L;

    /** Detections of one face overlap far more than two faces side by side do. */
    static final float DUPLICATE_IOU = 0.5f;

    private final byte[] modelBytes;
    private final String id;
    private transient FaceDetector detector;

    /**
     * @throws ModelFormatException     when the bytes are not a model file
     * @throws IllegalArgumentException when the model is not a face detector this engine can decode
     */
    public EngineFaceDetector(byte[] modelBytes) throws ModelFormatException {
        this.modelBytes = modelBytes.clone();
        FaceDetector checked = new FaceDetector(ModelReader.fromBytes(this.modelBytes));
        Model model = checked.model();
        this.id = "bvm:" + model.name() + ":" + model.version();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<DetectedFace> detect(byte[] rgb, int height, int width) {
        if (detector == null) {
            try {
                detector = new FaceDetector(ModelReader.fromBytes(modelBytes));
            } catch (ModelFormatException e) {
                throw new IllegalStateException("face detector bytes no longer parse", e);
            }
        }
        // Two neighbouring heat cells of equal score are both peaks for the decoder: one face, twice.
        return FaceSuppression.greedy(new ArrayList<>(detector.detect(rgb, height, width)), DUPLICATE_IOU,
                Integer.MAX_VALUE);
    }
}
