package io.bitvision.operators.activity;

/**
 * What the activity count needs of one processed frame: its number, the frames dropped before it and its instances'
 * track ids. Emitted by the inference step next to the frame's masks. A Flink POJO.
 */
public class FrameSummary {
    public String cameraId;
    public long frameSeq;
    /** Frames of this camera dropped since its previous processed frame (their numbers are just below frameSeq). */
    public int droppedSinceLast;
    public long captureTimeMs;
    /** One per instance in the frame. */
    public long[] trackIds;
    public String modelId;

    public FrameSummary() {}

    public FrameSummary(String cameraId, long frameSeq, int droppedSinceLast, long captureTimeMs, long[] trackIds,
                        String modelId) {
        this.cameraId = cameraId;
        this.frameSeq = frameSeq;
        this.droppedSinceLast = droppedSinceLast;
        this.captureTimeMs = captureTimeMs;
        this.trackIds = trackIds;
        this.modelId = modelId;
    }
}
