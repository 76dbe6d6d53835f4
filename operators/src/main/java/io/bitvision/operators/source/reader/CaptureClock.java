package io.bitvision.operators.source.reader;

import io.bitvision.operators.source.CameraRecord;
import io.bitvision.operators.source.CameraRecord.CaptureTimeSource;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.LongSupplier;

/**
 * Turns a frame's PTS into a capture time, per connection. In order of preference:
 * <ol>
 *   <li>{@code STREAM_WALLCLOCK}: the stream's real-time start ({@code start_time_realtime}, set from RTCP sender
 *       reports by the RTSP demuxer) or a file's {@code creation_time}, plus the PTS since the stream start;
 *   <li>{@code STREAM_PTS}: the PTS anchored to the ingest clock at the first frame of the connection; for live
 *       streams re-anchored when it drifts more than {@value #RESYNC_MS} ms from the ingest clock (PTS jumps after
 *       a camera restart);
 *   <li>{@code INGEST_CLOCK} when the frame has no PTS.
 * </ol>
 */
final class CaptureClock {
    static final long RESYNC_MS = 5_000;
    private static final long NO_VALUE = Long.MIN_VALUE;

    private final boolean live;
    private final long streamStartUs;
    private final long creationTimeMs;
    private final LongSupplier realtimeStartUs;
    private long anchorWallMs = NO_VALUE;
    private long anchorPtsUs;

    /**
     * @param streamStartUs the stream's first PTS in microseconds, or {@link Long#MIN_VALUE} if unknown
     * @param creationTime the container's {@code creation_time} metadata, or null
     * @param realtimeStartUs reads the stream's real-time start in microseconds since the epoch
     *     ({@link Long#MIN_VALUE} or &lt;= 0 while unknown); may change while the stream runs
     */
    CaptureClock(boolean live, long streamStartUs, String creationTime, LongSupplier realtimeStartUs) {
        this.live = live;
        this.streamStartUs = streamStartUs == Long.MIN_VALUE ? 0 : streamStartUs;
        this.creationTimeMs = parseCreationTime(creationTime);
        this.realtimeStartUs = realtimeStartUs;
    }

    /** Sets {@code captureTimeMs} and {@code captureTimeSource} of a frame. */
    void stamp(CameraRecord frame, long ptsUs, long ingestMs) {
        if (ptsUs < 0) {
            frame.captureTimeMs = ingestMs;
            frame.captureTimeSource = CaptureTimeSource.INGEST_CLOCK;
            return;
        }
        long realtime = realtimeStartUs.getAsLong();
        if (realtime > 0) {
            frame.captureTimeMs = (realtime + ptsUs - streamStartUs) / 1000;
            frame.captureTimeSource = CaptureTimeSource.STREAM_WALLCLOCK;
            return;
        }
        if (creationTimeMs != NO_VALUE) {
            frame.captureTimeMs = creationTimeMs + (ptsUs - streamStartUs) / 1000;
            frame.captureTimeSource = CaptureTimeSource.STREAM_WALLCLOCK;
            return;
        }
        long captured = anchorWallMs + (ptsUs - anchorPtsUs) / 1000;
        if (anchorWallMs == NO_VALUE || (live && Math.abs(captured - ingestMs) > RESYNC_MS)) {
            anchorWallMs = ingestMs;
            anchorPtsUs = ptsUs;
            captured = ingestMs;
        }
        frame.captureTimeMs = captured;
        frame.captureTimeSource = CaptureTimeSource.STREAM_PTS;
    }

    private static long parseCreationTime(String value) {
        if (value == null || value.isBlank()) {
            return NO_VALUE;
        }
        try {
            long ms = Instant.parse(value.trim()).toEpochMilli();
            return ms > 0 ? ms : NO_VALUE; // muxers write 1970-01-01 when they do not know
        } catch (DateTimeParseException e) {
            return NO_VALUE;
        }
    }
}
