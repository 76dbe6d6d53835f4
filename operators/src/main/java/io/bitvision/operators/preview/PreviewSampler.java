package io.bitvision.operators.preview;

/**
 * Which frames get a preview: the first frame of a camera, then each frame captured at least one interval after the
 * camera's last preview. The choice depends only on capture times and the last preview's, which the caller keeps in
 * keyed state, so a replay after a failure picks the same frames.
 */
public final class PreviewSampler {
    /** No preview yet. */
    public static final long NONE = Long.MIN_VALUE;

    private final long intervalMs;

    public PreviewSampler(long intervalMs) {
        if (intervalMs < 0) {
            throw new IllegalArgumentException("interval must not be negative: " + intervalMs);
        }
        this.intervalMs = intervalMs;
    }

    /** @param lastPreviewCaptureMs capture time of the camera's last preview, or {@link #NONE} */
    public boolean due(long captureTimeMs, long lastPreviewCaptureMs) {
        return lastPreviewCaptureMs == NONE
                || captureTimeMs - lastPreviewCaptureMs >= intervalMs
                || captureTimeMs < lastPreviewCaptureMs; // the camera's clock went back (a restarted stream)
    }
}
