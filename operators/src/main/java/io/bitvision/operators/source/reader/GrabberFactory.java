package io.bitvision.operators.source.reader;

import io.bitvision.operators.source.CameraUriPolicy;
import io.bitvision.operators.source.VideoSourceOptions;
import io.bitvision.operators.source.split.CameraSplit;
import io.bitvision.operators.source.split.InputKind;
import org.bytedeco.javacv.FFmpegFrameGrabber;

import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

/**
 * Configures an {@link FFmpegFrameGrabber} for a camera: RGB24 output (converted by swscale inside the grabber,
 * copied once into the record), decoder threads, and for live inputs the network timeouts.
 *
 * <p>Timeouts (microseconds): {@code rw_timeout} (generic protocol read/write timeout) for every live input, and
 * {@code timeout} (socket I/O timeout, also bounds connecting) only where it means that: {@code http(s)},
 * {@code rtsp(s)}, {@code tcp}. Not for {@code rtmp}, where {@code timeout} turns the client into a listener.
 * {@code stimeout} is not set: FFmpeg 5 removed it (RTSP's socket timeout is {@code timeout} since). RTSP defaults
 * to {@code rtsp_transport=tcp}. Per-camera options override all of these. The timeouts are a backstop: FFmpeg can
 * still hang in {@code av_read_frame} on a dead camera, which is why the watchdog abandons sessions on its own.
 * FFmpeg's {@code protocol_whitelist} is set from {@link CameraUriPolicy#ffmpegProtocols} after them.
 */
final class GrabberFactory {
    private static final Set<String> SOCKET_TIMEOUT_SCHEMES = Set.of("http", "https", "rtsp", "rtsps", "tcp");

    private GrabberFactory() {}

    static FFmpegFrameGrabber create(CameraSplit split, VideoSourceOptions options) {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(ffmpegInput(split.uri()));
        grabber.setPixelFormat(AV_PIX_FMT_RGB24);
        if (options.decoderThreads() > 0) {
            grabber.setVideoOption("threads", Integer.toString(options.decoderThreads()));
        }
        if (split.kind() == InputKind.LIVE && !InputKind.isReplay(split.uri())) { // replay: a local file
            String scheme = CameraUriPolicy.scheme(split.uri());
            String timeoutUs = Long.toString(options.ioTimeout().toNanos() / 1000);
            grabber.setOption("rw_timeout", timeoutUs);
            if (SOCKET_TIMEOUT_SCHEMES.contains(scheme)) {
                grabber.setOption("timeout", timeoutUs);
            }
            if (scheme.startsWith("rtsp")) {
                grabber.setOption("rtsp_transport", "tcp");
            }
        }
        split.ffmpegOptions().forEach(grabber::setOption);
        // Last, so that no per-camera option widens it: what a playlist or redirect inside this input may open.
        grabber.setOption("protocol_whitelist", CameraUriPolicy.ffmpegProtocols(split.uri()));
        return grabber;
    }

    /** What FFmpeg opens: a local path for {@code file:} and {@code replay:} URIs, the URI itself otherwise. */
    static String ffmpegInput(String uri) {
        if (InputKind.isReplay(uri)) {
            return ffmpegInput(uri.substring(InputKind.REPLAY_PREFIX.length()));
        }
        if (uri.regionMatches(true, 0, "file:", 0, "file:".length())) {
            try {
                return Path.of(URI.create(uri)).toString();
            } catch (IllegalArgumentException e) {
                return uri.substring("file:".length());
            }
        }
        return uri;
    }
}
