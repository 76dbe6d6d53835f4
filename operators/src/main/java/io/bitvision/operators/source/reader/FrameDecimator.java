package io.bitvision.operators.source.reader;

/**
 * Keeps at most {@code targetFps} frames per second of stream time. Deterministic over the sequence of frame
 * times, so a file restored at frame N (which feeds the skipped frames through {@link #keep} too) keeps exactly
 * the frames the first run kept. A time jump backwards or of more than a period re-anchors.
 */
final class FrameDecimator {
    private final long periodUs;
    private final long toleranceUs;
    private long nextDueUs = Long.MIN_VALUE;

    FrameDecimator(double targetFps) {
        this.periodUs = targetFps > 0 ? Math.round(1_000_000d / targetFps) : 0;
        this.toleranceUs = periodUs / 4;
    }

    /** Whether the frame at stream time {@code timeUs} is emitted. */
    boolean keep(long timeUs) {
        if (periodUs == 0) {
            return true;
        }
        if (nextDueUs == Long.MIN_VALUE || timeUs < nextDueUs - 2 * periodUs || timeUs - nextDueUs > periodUs) {
            nextDueUs = timeUs + periodUs;
            return true;
        }
        if (timeUs >= nextDueUs - toleranceUs) {
            nextDueUs += periodUs;
            return true;
        }
        return false;
    }
}
