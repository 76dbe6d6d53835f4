package io.bitvision.operators.source.reader;

import io.bitvision.operators.source.CameraRecord;
import io.bitvision.operators.source.CameraRecord.ErrorType;
import io.bitvision.operators.source.CameraRecord.State;
import io.bitvision.operators.source.VideoSourceOptions;
import io.bitvision.operators.source.split.CameraSplit;
import io.bitvision.operators.source.split.InputKind;
import io.bitvision.operators.security.Redaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Life of one camera: sessions (one decode thread each), health events, stall and start watchdog, reconnects.
 *
 * <p>States: {@code STARTING} (a session opens the input) -> {@code STREAMING} -> on end of stream, error, stall
 * or start timeout: {@code BACKOFF} (RECONNECTING emitted with the attempt number) -> {@code STARTING} ... until
 * {@code maxReconnectAttempts} failed attempts in a row: FAILED. A file ends with ENDED. The first frame a session
 * hands off resets the attempt count (so a camera that connects but fails before delivering still runs out of
 * attempts, and a file that fails at the same frame cannot loop: the failing frame is dead-lettered and skipped).
 *
 * <p>Threads: session threads report through the {@code on*} callbacks, the reader's watchdog calls
 * {@link #tick}; both under this object's lock, which is never held while blocking (hand-off waits happen outside
 * it). A session that is replaced or abandoned is never waited for: it is flagged, its hand-off generation is
 * invalidated, and its thread closes its own grabber whenever FFmpeg returns (closing a grabber from another
 * thread would block on the grabber's monitor, held by the stuck {@code grabFrame}, or free memory in use).
 */
final class CameraWorker {
    private static final Logger LOG = LoggerFactory.getLogger(CameraWorker.class);

    private enum Phase { STARTING, STREAMING, BACKOFF, FAILED, ENDED, CLOSED }

    private final CameraSplit split;
    private final InputKind kind;
    private final VideoSourceOptions options;
    private final FrameHandoff handoff;
    private final CameraMetrics metrics;
    private final long stallTimeoutNanos;
    private final long connectTimeoutNanos;
    private final long healthIntervalNanos;

    // Guarded by this.
    private Phase phase = Phase.STARTING;
    private GrabberSession session;
    private final List<Thread> threads = new ArrayList<>();
    private int attempts;
    private int sessionCount;
    private long phaseSinceNanos;
    private long nextAttemptAtNanos;
    private long lastHealthNanos;
    private long fpsWindowStartNanos;
    private long fpsWindowStartFrames;

    private volatile long lastProgressNanos;

    CameraWorker(CameraSplit split, VideoSourceOptions options, FrameHandoff handoff, CameraMetrics metrics) {
        this.split = split;
        this.kind = split.kind();
        this.options = options;
        this.handoff = handoff;
        this.metrics = metrics;
        this.stallTimeoutNanos = options.stallTimeout().toNanos();
        this.connectTimeoutNanos = options.connectTimeout().toNanos();
        this.healthIntervalNanos = options.healthInterval().toNanos();
    }

    String cameraId() {
        return split.cameraId();
    }

    CameraSplit split() {
        return split;
    }

    FrameHandoff handoff() {
        return handoff;
    }

    synchronized void start() {
        long now = System.nanoTime();
        fpsWindowStartNanos = now;
        Optional<String> refusal = options.uriPolicy().refusal(split.spec());
        if (refusal.isPresent()) { // never opened; a live camera stays in the state and is checked again on restore
            enterFailed("refused: " + refusal.get(), now);
            return;
        }
        emitHealth(State.CONNECTING, "opening " + split.uri(), now);
        startSession(now);
    }

    /** Watchdog: stall and start timeouts, due reconnects, decode rate, heartbeats. Never blocks. */
    synchronized void tick(long now) {
        updateFps(now);
        switch (phase) {
            case STARTING -> {
                if (now - phaseSinceNanos > connectTimeoutNanos) {
                    failAttempt("start timed out after " + millis(now - phaseSinceNanos) + " ms", now);
                }
            }
            case STREAMING -> {
                long idle = now - lastProgressNanos;
                if (idle > stallTimeoutNanos && !handoff.producerWaiting()) {
                    String reason = "no frame for " + millis(idle) + " ms (stall timeout "
                            + options.stallTimeout().toMillis() + " ms)";
                    metrics.stalled = true;
                    emitHealth(State.STALLED, reason, now);
                    failAttempt("stalled: " + reason, now);
                } else if (healthIntervalNanos > 0 && now - lastHealthNanos >= healthIntervalNanos) {
                    emitHealth(State.STREAMING, "heartbeat", now);
                }
            }
            case BACKOFF -> {
                if (now >= nextAttemptAtNanos) {
                    startSession(now);
                }
            }
            default -> { }
        }
    }

    /** Stops the camera for good (reader closing): no more events, sessions abandoned. */
    synchronized List<Thread> close() {
        phase = Phase.CLOSED;
        abandonSession();
        handoff.close();
        threads.removeIf(t -> !t.isAlive());
        return List.copyOf(threads);
    }

    // ---- session callbacks (session threads) ----

    /** The input opened; false if the session was abandoned meanwhile. */
    synchronized boolean onStarted(GrabberSession s, String description) {
        if (s != session || phase != Phase.STARTING) {
            return false;
        }
        long now = System.nanoTime();
        phase = Phase.STREAMING;
        lastProgressNanos = now;
        emitHealth(State.STREAMING, description, now);
        return true;
    }

    /** A frame was decoded (or skipped while seeking); feeds the stall watchdog. */
    void onProgress() {
        lastProgressNanos = System.nanoTime();
    }

    void metricsFrameDecoded() {
        metrics.framesDecoded.incrementAndGet();
    }

    /** The session handed off its first frame: the connection works, the attempt count starts over. */
    synchronized void onFirstDelivered(GrabberSession s) {
        if (s == session) {
            attempts = 0;
            metrics.stalled = false;
        }
    }

    synchronized void onStartFailed(GrabberSession s, Throwable error) {
        if (s != session) {
            return;
        }
        long now = System.nanoTime();
        String reason = "start failed: " + message(error);
        if (kind == InputKind.FILE) {
            emitDeadLetter(ErrorType.OPEN_FAILED, reason, handoff.nextSeq());
            enterFailed(reason, now);
        } else {
            failAttempt(reason, now);
        }
    }

    synchronized void onEndOfStream(GrabberSession s, EndOfStream end) {
        if (s != session) {
            return;
        }
        long now = System.nanoTime();
        if (kind == InputKind.FILE) {
            if (end.truncation() != null) {
                emitDeadLetter(ErrorType.TRUNCATED, end.truncation(), handoff.nextSeq());
            }
            if (end.readError() != null) {
                emitDeadLetter(ErrorType.READ_ERROR, end.readError(), handoff.nextSeq());
            }
            abandonSession();
            phase = Phase.ENDED;
            emitHealth(State.ENDED, "end of file after " + end.framesRead() + " frames", now);
            handoff.finish(true);
        } else {
            failAttempt(end.readError() != null ? end.readError() : "end of stream", now);
        }
    }

    synchronized void onSessionError(GrabberSession s, Throwable error) {
        if (s != session) {
            return;
        }
        // A file's session has dead-lettered the frame at the error already; the reopen starts after it.
        failAttempt("read failed: " + message(error), System.nanoTime());
    }

    synchronized void onSessionExit(GrabberSession s) {
        threads.removeIf(t -> !t.isAlive() || t == Thread.currentThread());
    }

    // ---- internals (under the lock) ----

    private void startSession(long now) {
        int generation = handoff.newGeneration();
        long startIndex = kind == InputKind.FILE ? handoff.nextSeq() : 0;
        session = new GrabberSession(this, split, options, handoff, generation, startIndex);
        phase = Phase.STARTING;
        phaseSinceNanos = now;
        Thread thread = new Thread(session, "bitvision-camera-" + split.cameraId() + "-" + (++sessionCount));
        thread.setDaemon(true);
        threads.removeIf(t -> !t.isAlive());
        threads.add(thread);
        if (threads.size() > 1) {
            LOG.warn("Camera {}: {} abandoned decode thread(s) still inside FFmpeg", split.cameraId(),
                    threads.size() - 1);
        }
        thread.start();
    }

    private void failAttempt(String reason, long now) {
        reason = Redaction.text(reason);
        abandonSession();
        if (attempts >= options.maxReconnectAttempts()) {
            enterFailed(reason + " (gave up after " + attempts + " reconnect attempts)", now);
            return;
        }
        attempts++;
        metrics.reconnects.incrementAndGet();
        long delay = options.backoff(attempts).toNanos();
        phase = Phase.BACKOFF;
        nextAttemptAtNanos = now + delay;
        LOG.info("Camera {}: {}; reconnect attempt {} in {} ms", split.cameraId(), reason, attempts, millis(delay));
        emitHealth(State.RECONNECTING, reason + "; attempt " + attempts + " in " + millis(delay) + " ms", now);
    }

    private void enterFailed(String reason, long now) {
        reason = Redaction.text(reason);
        abandonSession();
        phase = Phase.FAILED;
        LOG.warn("Camera {} failed: {}", split.cameraId(), reason);
        emitHealth(State.FAILED, reason, now);
        // A failed file is done; a failed live camera stays in the reader's state and is retried after a restore.
        handoff.finish(kind == InputKind.FILE);
    }

    private void abandonSession() {
        if (session != null) {
            session.abandon();
            session = null;
        }
        handoff.newGeneration();
    }

    private void updateFps(long now) {
        long elapsed = now - fpsWindowStartNanos;
        if (elapsed >= TimeUnit.SECONDS.toNanos(1)) {
            long frames = metrics.framesDecoded.get();
            metrics.decodeFps = (frames - fpsWindowStartFrames) * 1e9 / elapsed;
            fpsWindowStartFrames = frames;
            fpsWindowStartNanos = now;
        }
    }

    private void emitHealth(State state, String reason, long now) {
        if (phase == Phase.CLOSED) {
            return;
        }
        metrics.state = state.ordinal();
        lastHealthNanos = now;
        handoff.offerEvent(CameraRecord.health(split.cameraId(), state, Redaction.text(reason), attempts,
                metrics.framesDecoded.get(), metrics.framesDropped.get(), metrics.decodeFps,
                System.currentTimeMillis()));
    }

    /** Reason and URI without credentials: dead letters go to consumers, who need neither. */
    private void emitDeadLetter(ErrorType type, String reason, long position) {
        reason = Redaction.text(reason);
        LOG.warn("Camera {}: {} at frame {}: {}", split.cameraId(), type, position, reason);
        handoff.offerEvent(CameraRecord.deadLetter(split.cameraId(), type, reason, Redaction.text(split.uri()), position,
                System.currentTimeMillis()));
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static String message(Throwable error) {
        String message = FfmpegErrors.explain(error.getMessage());
        if (message != null) {
            int hint = message.indexOf(" (For more details");
            if (hint > 0) {
                message = message.substring(0, hint);
            }
        }
        // JavaCV's FFmpegFrameGrabber.Exception would read as a bare "Exception".
        String type = error instanceof org.bytedeco.javacv.FrameGrabber.Exception ? "FFmpeg"
                : error.getClass().getSimpleName();
        return type + (message == null ? "" : ": " + message);
    }

    /**
     * How a session ended: frames read, and for files why the end looks early.
     *
     * @param truncation why the file looks truncated, or null
     * @param readError the I/O error FFmpeg saw, or null for a clean end
     */
    record EndOfStream(long framesRead, String truncation, String readError) {}
}
