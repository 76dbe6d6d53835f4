package io.bitvision.operators.source.reader;

/**
 * Timing of a {@code replay:} camera (a file played as a live camera, see
 * {@link io.bitvision.operators.source.split.InputKind#isReplay}): joins the file's loops into one continuous
 * timeline (each loop starts one frame period after the previous loop's last frame) and says when each frame is
 * due on the wall clock, anchored at the first frame. A frame that is late (the decode thread did not get a core
 * in time) is due at once, so a late replay catches up in a burst the way frames queued in a socket buffer arrive,
 * and the hand-off's drop-to-latest applies as for any live camera. Decode thread only.
 */
final class ReplayPacer {
    private static final long UNSET = Long.MIN_VALUE;

    private final long frameUs;
    private long offsetUs;
    private long lastTimelineUs = UNSET;
    private boolean looped;
    private long anchorNanos;
    private long anchorTimelineUs = UNSET;

    /** @param fps the stream's frame rate (0 or unknown: 25) */
    ReplayPacer(double fps) {
        this.frameUs = fps > 0 && Double.isFinite(fps) ? Math.round(1_000_000d / fps) : 40_000;
    }

    long frameUs() {
        return frameUs;
    }

    /** The file ended and is read again from its beginning. */
    void loop() {
        looped = true;
    }

    /**
     * The frame's time on the replay's timeline, from its PTS in the file ({@code < 0}: none, taken as one
     * period after the previous frame). Strictly increasing, also across loops.
     */
    long timeline(long ptsUs) {
        if (lastTimelineUs == UNSET) {
            lastTimelineUs = (ptsUs >= 0 ? ptsUs : 0) - frameUs;
        }
        if (ptsUs < 0) {
            lastTimelineUs += frameUs;
            return lastTimelineUs;
        }
        if (looped || ptsUs + offsetUs <= lastTimelineUs) {
            offsetUs = lastTimelineUs + frameUs - ptsUs;
            looped = false;
        }
        lastTimelineUs = ptsUs + offsetUs;
        return lastTimelineUs;
    }

    /** {@link System#nanoTime()} at which the frame at {@code timelineUs} is due; the first frame is due at {@code nowNanos}. */
    long dueNanos(long timelineUs, long nowNanos) {
        if (anchorTimelineUs == UNSET) {
            anchorTimelineUs = timelineUs;
            anchorNanos = nowNanos;
        }
        return anchorNanos + (timelineUs - anchorTimelineUs) * 1000;
    }
}
