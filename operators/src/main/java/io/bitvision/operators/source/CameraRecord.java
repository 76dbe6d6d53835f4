package io.bitvision.operators.source;

/**
 * The single output type of {@link VideoSource}: a decoded frame, a health event or a dead letter of one camera.
 * A Flink POJO (public no-arg constructor, public fields), so Flink serializes it with its POJO serializer.
 *
 * <p>Fields by {@link #kind}:
 * <ul>
 *   <li>all: {@link #cameraId}, {@link #ingestTimeMs}, {@link #captureTimeMs}, {@link #captureTimeSource};
 *   <li>{@link Kind#FRAME}: {@link #frameSeq}, {@link #ptsUs}, {@link #width}, {@link #height}, {@link #rgb},
 *       {@link #droppedSinceLast}, {@link #model};
 *   <li>{@link Kind#HEALTH}: {@link #state}, {@link #reason}, {@link #reconnectAttempts}, {@link #framesDecoded},
 *       {@link #framesDropped}, {@link #decodeFps};
 *   <li>{@link Kind#DEAD_LETTER}: {@link #errorType}, {@link #reason}, {@link #sourceUri}, {@link #position}.
 * </ul>
 *
 * <p>{@code frameSeq} counts every frame read from the camera from 0 (per camera, over reconnects and restores):
 * frames dropped by drop-to-latest, frames skipped by a target frame rate and corrupt frames (sent as dead letters
 * with {@code position = frameSeq}) each take a number, so the gap between two emitted frames of a camera is
 * {@code droppedSinceLast} plus the frames skipped for the target rate and the dead letters in between. For a file
 * {@code frameSeq} is the frame's index in the file.
 *
 * <p>Element timestamps: a FRAME is emitted with {@code captureTimeMs} as its Flink timestamp; HEALTH and
 * DEAD_LETTER records carry the timestamp of the camera's last emitted frame (none before the first frame), so they
 * never move a watermark. Their {@code captureTimeMs} field holds the ingest time.
 */
public class CameraRecord {

    /** What a record is. */
    public enum Kind { FRAME, HEALTH, DEAD_LETTER }

    /** Where {@link #captureTimeMs} comes from. */
    public enum CaptureTimeSource {
        /** The stream's own wall clock: RTCP sender reports (RTSP) or the container's creation time, plus the PTS. */
        STREAM_WALLCLOCK,
        /** The stream's PTS, anchored to the ingest clock at the first frame of a connection. */
        STREAM_PTS,
        /** No usable PTS: the time the frame was decoded. */
        INGEST_CLOCK
    }

    /** Camera state reported by HEALTH records. */
    public enum State { CONNECTING, STREAMING, STALLED, RECONNECTING, FAILED, ENDED }

    /** Why a DEAD_LETTER was emitted. */
    public enum ErrorType {
        /** A file could not be opened (a file is not retried). */
        OPEN_FAILED,
        /** The decoder flagged the frame as corrupt; its pixels are not emitted. */
        CORRUPT_FRAME,
        /** A file ended before the frame count or duration its container declares. */
        TRUNCATED,
        /** Reading failed in the middle of a file; the camera reopens it at {@link #position}. */
        READ_ERROR,
        /**
         * A Kafka record without a usable camera id: no key, a blank key or a key that is not UTF-8. Its
         * {@link #cameraId} is the empty string (a Flink key must not be null).
         */
        MISSING_KEY,
        /** A Kafka record whose value exceeds the configured byte or pixel limit; it is not decoded. */
        OVERSIZED
    }

    public Kind kind;
    public String cameraId;
    /** Frame number of the camera (see class comment); -1 for HEALTH and for DEAD_LETTERs that are not a frame. */
    public long frameSeq = -1;
    /** Presentation time in microseconds, -1 when unknown. */
    public long ptsUs = -1;
    public long captureTimeMs;
    public CaptureTimeSource captureTimeSource;
    public long ingestTimeMs;
    public int width;
    public int height;
    /** Interleaved RGB, row-major, {@code width * height * 3} bytes; FRAME only. */
    public byte[] rgb;
    /** Frames dropped by drop-to-latest since the previous emitted frame of this camera (live cameras only). */
    public int droppedSinceLast;
    /** The name of the model the camera asks for (its registry record's {@code model}); null when it names none. */
    public String model;

    public State state;
    public String reason;
    public int reconnectAttempts;
    public long framesDecoded;
    public long framesDropped;
    public double decodeFps;

    public ErrorType errorType;
    public String sourceUri;
    /** Frame index the dead letter refers to (a corrupt frame's own number, else the next frame number). */
    public long position = -1;
    /**
     * DEAD_LETTER from a Kafka topic only: the original record value, unchanged, so nothing is lost and it can be
     * replayed (null for a record without a value). Never set for FRAME records.
     */
    public byte[] payload;
    /** The Kafka topic the record came from (FRAME and DEAD_LETTER of the Kafka ingest); null for video cameras. */
    public String sourceTopic;

    public CameraRecord() {}

    public static CameraRecord frame(String cameraId, long ptsUs, long captureTimeMs,
                                     CaptureTimeSource captureTimeSource, long ingestTimeMs,
                                     int width, int height, byte[] rgb) {
        CameraRecord r = new CameraRecord();
        r.kind = Kind.FRAME;
        r.cameraId = cameraId;
        r.ptsUs = ptsUs;
        r.captureTimeMs = captureTimeMs;
        r.captureTimeSource = captureTimeSource;
        r.ingestTimeMs = ingestTimeMs;
        r.width = width;
        r.height = height;
        r.rgb = rgb;
        return r;
    }

    public static CameraRecord health(String cameraId, State state, String reason, int reconnectAttempts,
                                      long framesDecoded, long framesDropped, double decodeFps, long nowMs) {
        CameraRecord r = new CameraRecord();
        r.kind = Kind.HEALTH;
        r.cameraId = cameraId;
        r.state = state;
        r.reason = reason;
        r.reconnectAttempts = reconnectAttempts;
        r.framesDecoded = framesDecoded;
        r.framesDropped = framesDropped;
        r.decodeFps = decodeFps;
        r.ingestTimeMs = nowMs;
        r.captureTimeMs = nowMs;
        r.captureTimeSource = CaptureTimeSource.INGEST_CLOCK;
        return r;
    }

    public static CameraRecord deadLetter(String cameraId, ErrorType errorType, String reason, String sourceUri,
                                          long position, long nowMs) {
        CameraRecord r = new CameraRecord();
        r.kind = Kind.DEAD_LETTER;
        r.cameraId = cameraId;
        r.errorType = errorType;
        r.reason = reason;
        r.sourceUri = sourceUri;
        r.position = position;
        r.ingestTimeMs = nowMs;
        r.captureTimeMs = nowMs;
        r.captureTimeSource = CaptureTimeSource.INGEST_CLOCK;
        return r;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CameraRecord{").append(kind).append(' ').append(cameraId);
        switch (kind == null ? Kind.FRAME : kind) {
            case FRAME -> sb.append(" seq=").append(frameSeq).append(" pts=").append(ptsUs)
                    .append(' ').append(width).append('x').append(height)
                    .append(" rgb=").append(rgb == null ? "null" : rgb.length + "B")
                    .append(" dropped=").append(droppedSinceLast)
                    .append(" capture=").append(captureTimeMs).append('/').append(captureTimeSource);
            case HEALTH -> sb.append(' ').append(state).append(" attempts=").append(reconnectAttempts)
                    .append(" decoded=").append(framesDecoded).append(" dropped=").append(framesDropped)
                    .append(String.format(" fps=%.1f", decodeFps)).append(" reason=").append(reason);
            case DEAD_LETTER -> sb.append(' ').append(errorType).append(" position=").append(position)
                    .append(" seq=").append(frameSeq).append(" uri=").append(sourceUri)
                    .append(" reason=").append(reason);
        }
        return sb.append('}').toString();
    }
}
