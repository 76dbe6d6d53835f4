package io.bitvision.operators.source;

import java.io.Serializable;
import java.time.Duration;

/**
 * Reader settings of a {@link VideoSource}, the same for every camera. Immutable; built and checked by
 * {@link VideoSource.Builder}, whose setters document the defaults.
 *
 * @param stallTimeout no frame for this long while not backpressured: STALLED, abandon, reconnect
 * @param connectTimeout a start (open + probe) taking longer is abandoned and counts as a failed attempt
 * @param ioTimeout FFmpeg {@code rw_timeout}/{@code timeout} for live inputs (backstop behind the watchdog)
 * @param reconnectBackoffInitial delay before the first reconnect attempt, doubled per attempt
 * @param reconnectBackoffMax upper bound of the delay
 * @param maxReconnectAttempts attempts after a failure before FAILED; reset by a decoded frame
 * @param handoffCapacity frames queued per camera between its decoder and the reader
 * @param healthInterval period of STREAMING heartbeats; zero for transitions only
 * @param decoderThreads FFmpeg decoder threads per camera; 0 lets FFmpeg choose
 * @param ffmpegLogLevel FFmpeg's global log level to set when a reader starts, or {@link #KEEP_LOG_LEVEL}
 * @param uriPolicy which camera URIs may be opened and which protocols FFmpeg may reach from them
 */
public record VideoSourceOptions(Duration stallTimeout, Duration connectTimeout, Duration ioTimeout,
                                 Duration reconnectBackoffInitial, Duration reconnectBackoffMax,
                                 int maxReconnectAttempts, int handoffCapacity, Duration healthInterval,
                                 int decoderThreads, int ffmpegLogLevel,
                                 CameraUriPolicy uriPolicy) implements Serializable {

    /** {@link #ffmpegLogLevel} value that leaves FFmpeg's log level alone. */
    public static final int KEEP_LOG_LEVEL = Integer.MIN_VALUE;

    /** Delay before reconnect attempt {@code attempt} (1-based): initial * 2^(attempt-1), at most the max. */
    public Duration backoff(int attempt) {
        long initial = reconnectBackoffInitial.toMillis();
        long max = reconnectBackoffMax.toMillis();
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long delay = initial << shift;
        return Duration.ofMillis(delay < 0 || delay > max ? max : delay);
    }
}
