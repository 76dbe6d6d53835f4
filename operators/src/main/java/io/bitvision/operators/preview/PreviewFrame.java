package io.bitvision.operators.preview;

/**
 * A frame chosen for a preview, already downscaled, on its way from the inference step to the JPEG encoder (its own
 * task, so the encoding does not take the inference thread's time). A Flink POJO.
 */
public class PreviewFrame {
    public String cameraId;
    public long frameSeq;
    public long captureTimeMs;
    public int frameWidth;
    public int frameHeight;
    public int width;
    public int height;
    /** BGR bytes, row-major: {@link PreviewScaler.Scaled#bgr()}. */
    public byte[] bgr;

    public PreviewFrame() {}
}
