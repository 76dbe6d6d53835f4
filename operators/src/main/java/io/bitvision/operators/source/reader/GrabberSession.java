package io.bitvision.operators.source.reader;

import io.bitvision.operators.source.CameraRecord;
import io.bitvision.operators.source.CameraRecord.ErrorType;
import io.bitvision.operators.source.VideoSourceOptions;
import io.bitvision.operators.source.split.CameraSplit;
import io.bitvision.operators.source.split.InputKind;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import static org.bytedeco.ffmpeg.global.avformat.AVFMT_DURATION_FROM_STREAM;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

/**
 * One connection to a camera on its own thread: opens the input, for files skips to the start frame (decoding
 * without pixel conversion, so the frame index stays exact), then decodes frames to RGB and hands them off until
 * the end, an error, or until the worker abandons it.
 *
 * <p>The grabber is started with {@code startUnsafe()}, outside JavaCV's JVM-wide start lock: that lock only
 * serialises {@code avformat_open_input}/{@code avcodec_open2}, which FFmpeg made thread-safe long ago (4.0), and
 * holding it while one dead camera blocks in open would stall every other camera's start. The grabber is only
 * ever touched by this thread, closed here too, whenever FFmpeg returns.
 */
final class GrabberSession implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(GrabberSession.class);

    private final CameraWorker worker;
    private final CameraSplit split;
    private final VideoSourceOptions options;
    private final FrameHandoff handoff;
    private final int generation;
    private final long startIndex;
    private volatile boolean abandoned;
    private boolean pastStartIndex; // decode thread only

    GrabberSession(CameraWorker worker, CameraSplit split, VideoSourceOptions options, FrameHandoff handoff,
                   int generation, long startIndex) {
        this.worker = worker;
        this.split = split;
        this.options = options;
        this.handoff = handoff;
        this.generation = generation;
        this.startIndex = startIndex;
    }

    void abandon() {
        abandoned = true;
    }

    @Override
    public void run() {
        FFmpegFrameGrabber grabber = null;
        try {
            grabber = GrabberFactory.create(split, options);
            grabber.startUnsafe();
            if (grabber.getVideoStream() < 0 || !grabber.hasVideo()) {
                throw new IllegalStateException("no video stream in " + grabber.getFormat() + " input");
            }
        } catch (Throwable e) {
            release(grabber);
            if (!abandoned) {
                worker.onStartFailed(this, e);
            }
            worker.onSessionExit(this);
            return;
        }
        try {
            if (worker.onStarted(this, describe(grabber))) {
                decode(grabber);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            if (!abandoned) {
                if (split.kind() == InputKind.FILE && pastStartIndex) {
                    // The frame at the next number is dead-lettered and skipped, so the reopen moves past it.
                    // (While skipping to the start index nothing is numbered: the reopen simply retries.)
                    try {
                        handoff.offerNumbered(generation, CameraRecord.deadLetter(split.cameraId(),
                                ErrorType.READ_ERROR, "read failed: " + e, split.uri(), -1,
                                System.currentTimeMillis()));
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
                worker.onSessionError(this, e);
            }
        } finally {
            release(grabber);
            worker.onSessionExit(this);
        }
    }

    private void decode(FFmpegFrameGrabber grabber) throws Exception {
        boolean live = split.kind() == InputKind.LIVE;
        boolean replay = InputKind.isReplay(split.uri());
        AVFormatContext oc = grabber.getFormatContext();
        // A replay is captured now, frame by frame: its clock is the PTS anchored at the first frame, never the
        // file's creation time.
        CaptureClock clock = replay ? new CaptureClock(true, Long.MIN_VALUE, null, () -> Long.MIN_VALUE)
                : new CaptureClock(live, oc.start_time(), grabber.getMetadata("creation_time"),
                        oc::start_time_realtime);
        ReplayPacer pacer = replay ? new ReplayPacer(grabber.getVideoFrameRate()) : null;
        long framesThisLoop = 0;
        FrameDecimator decimator = new FrameDecimator(split.targetFps());
        String cameraId = split.cameraId();
        String model = split.spec().model().isEmpty() ? null : split.spec().model();
        long framesRead = 0;
        long lastPtsUs = -1;

        while (framesRead < startIndex) { // files: skip to the restored position, without RGB conversion
            Frame frame = grabber.grabFrame(false, true, false, false, false);
            if (abandoned) {
                return;
            }
            if (frame == null) {
                worker.onEndOfStream(this, endOfStream(grabber, framesRead, lastPtsUs));
                return;
            }
            worker.onProgress();
            lastPtsUs = frame.timestamp;
            decimator.keep(frame.timestamp);
            framesRead++;
        }

        pastStartIndex = true;
        boolean delivered = false;
        while (!abandoned) {
            Frame frame = grabber.grabFrame(false, true, true, false, false);
            if (abandoned) {
                return;
            }
            if (frame == null && replay && framesThisLoop > 0) {
                grabber.setTimestamp(0L); // a replay loops: back to the first frame, the timeline goes on
                pacer.loop();
                framesThisLoop = 0;
                continue;
            }
            if (frame == null) {
                worker.onEndOfStream(this, endOfStream(grabber, framesRead, lastPtsUs));
                return;
            }
            AVFrame picture = (AVFrame) frame.opaque;
            long ptsUs = picture.best_effort_timestamp() == AV_NOPTS_VALUE ? -1 : frame.timestamp;
            if (replay) {
                framesThisLoop++;
                ptsUs = pacer.timeline(ptsUs);
                if (!awaitDue(pacer.dueNanos(ptsUs, System.nanoTime()))) {
                    return;
                }
            }
            long ingestMs = System.currentTimeMillis();
            framesRead++;
            worker.metricsFrameDecoded();
            worker.onProgress();
            if (ptsUs >= 0) {
                lastPtsUs = ptsUs;
            }
            boolean ok;
            if ((picture.flags() & AVFrame.AV_FRAME_FLAG_CORRUPT) != 0 || picture.decode_error_flags() != 0) {
                ok = handoff.offerNumbered(generation, CameraRecord.deadLetter(cameraId, ErrorType.CORRUPT_FRAME,
                        "decoder flagged the frame as corrupt (decode_error_flags=" + picture.decode_error_flags()
                                + ")", split.uri(), -1, ingestMs));
            } else if (!decimator.keep(ptsUs >= 0 ? ptsUs : ingestMs * 1000)) {
                ok = handoff.skipNumber(generation);
            } else {
                CameraRecord record = CameraRecord.frame(cameraId, ptsUs, 0, null, ingestMs,
                        frame.imageWidth, frame.imageHeight, RgbFrames.copy(frame));
                record.model = model;
                clock.stamp(record, ptsUs, ingestMs);
                ok = handoff.offerNumbered(generation, record);
                worker.onProgress(); // waiting for room is backpressure, not a stall
                if (ok && !delivered) {
                    worker.onFirstDelivered(this);
                    delivered = true;
                }
            }
            if (!ok) {
                return;
            }
        }
    }

    /** Waits until {@code dueNanos} ({@link System#nanoTime()}); false if the session was abandoned meanwhile. */
    private boolean awaitDue(long dueNanos) throws InterruptedException {
        long wait;
        while ((wait = dueNanos - System.nanoTime()) > 0) {
            if (abandoned) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(Math.min(wait, 100_000_000L));
            worker.onProgress(); // waiting for a replayed frame's time is not a stall
        }
        return !abandoned;
    }

    /** Why a stream ended: I/O errors, and for files whether it ended before the container says it should. */
    private CameraWorker.EndOfStream endOfStream(FFmpegFrameGrabber grabber, long framesRead, long lastPtsUs) {
        AVFormatContext oc = grabber.getFormatContext();
        String readError = null;
        if (oc.pb() != null) {
            int error = oc.pb().error();
            if (error < 0 && error != AVERROR_EOF) {
                readError = "read error: " + FfmpegErrors.describe(error);
            }
        }
        String truncation = null;
        if (split.kind() == InputKind.FILE && grabber.getVideoStream() >= 0) {
            AVStream stream = oc.streams(grabber.getVideoStream());
            long declaredFrames = stream.nb_frames();
            double fps = grabber.getVideoFrameRate();
            long frameUs = fps > 0 ? Math.round(1e6 / fps) : 0;
            long declaredEndUs = declaredEndUs(oc, stream, grabber.getAudioStream() >= 0);
            if (declaredFrames > 0 && framesRead < declaredFrames) {
                truncation = "file ended after " + framesRead + " of " + declaredFrames
                        + " frames declared by the container";
            } else if (declaredFrames <= 0 && declaredEndUs > 0 && lastPtsUs >= 0
                    && lastPtsUs + 2 * frameUs < declaredEndUs) {
                truncation = "file ended at " + lastPtsUs / 1000 + " ms of " + declaredEndUs / 1000
                        + " ms declared by the container";
            }
        }
        return new CameraWorker.EndOfStream(framesRead, truncation, readError);
    }

    /** End of the video stream as declared in the header (microseconds), or -1 if not declared. */
    private static long declaredEndUs(AVFormatContext oc, AVStream stream, boolean hasAudio) {
        if (stream.duration() != AV_NOPTS_VALUE && stream.duration() > 0) {
            double timeBase = av_q2d(stream.time_base());
            long start = stream.start_time() == AV_NOPTS_VALUE ? 0 : stream.start_time();
            return Math.round((start + stream.duration()) * timeBase * 1e6);
        }
        // The container duration covers all streams: only trust it for video-only files.
        if (!hasAudio && oc.duration_estimation_method() == AVFMT_DURATION_FROM_STREAM && oc.duration() > 0) {
            return (oc.start_time() == AV_NOPTS_VALUE ? 0 : oc.start_time()) + oc.duration();
        }
        return -1;
    }

    private static String describe(FFmpegFrameGrabber grabber) {
        return String.format("opened %dx%d %s @ %.2f fps (%s)", grabber.getImageWidth(), grabber.getImageHeight(),
                grabber.getVideoCodecName(), grabber.getVideoFrameRate(), grabber.getFormat());
    }

    private void release(FFmpegFrameGrabber grabber) {
        if (grabber == null) {
            return;
        }
        try {
            grabber.releaseUnsafe();
        } catch (Throwable e) {
            LOG.debug("Camera {}: releasing the grabber failed", split.cameraId(), e);
        }
    }
}
