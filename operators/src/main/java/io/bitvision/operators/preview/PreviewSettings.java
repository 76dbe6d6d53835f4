package io.bitvision.operators.preview;

import java.io.Serializable;

/**
 * Previews of processed frames: at most {@code fps} per camera, downscaled to at most {@code width} pixels wide, as
 * {@code FramePreview} records on {@code topic}. Previews put camera pixels on Kafka, so they are off unless an
 * operator asks for them.
 */
public record PreviewSettings(String topic, double fps, int width) implements Serializable {
    public static final double DEFAULT_FPS = 1.0;
    public static final int DEFAULT_WIDTH = 640;
    /** Wider previews are not previews any more. */
    public static final int MAX_WIDTH = 1920;

    public PreviewSettings {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("--preview-topic is blank");
        }
        if (!(fps > 0) || fps > 30) {
            throw new IllegalArgumentException("--preview-fps must be in (0, 30], got " + fps);
        }
        if (width < 16 || width > MAX_WIDTH) {
            throw new IllegalArgumentException("--preview-width must be 16.." + MAX_WIDTH + ", got " + width);
        }
    }

    /** Capture-time spacing between two previews of one camera. */
    public long intervalMs() {
        return Math.round(1000 / fps);
    }
}
