package io.bitvision.operators.faces;

/**
 * An embedding of one tracked instance in one frame, on its way to matching. A Flink POJO; it carries no
 * pixels (privacy: no images or crops leave the inference step).
 */
public class FaceCandidate {
    public String cameraId;
    public long frameSeq;
    public long trackId;
    public long captureTimeMs;
    public float[] bbox;
    public float[] embedding;
    public String embedderId;

    public FaceCandidate() {}
}
