package io.bitvision.benchmarks.pipeline;

import io.bitvision.operators.source.reader.RgbFrames;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Decode-only rate of a video file to RGB, on the same path as the job's camera source (GrabberFactory and
 * GrabberSession in operators): FFmpegFrameGrabber with RGB24 output converted by swscale, one decoder thread,
 * {@code grabFrame(false, true, true, false, false)}, then one copy of each picture into a tight {@code w*h*3}
 * array (the source's {@code RgbFrames.copy}). The time is from the first grab to the end of the file; opening is
 * reported apart.
 */
final class DecodeBench {
    private DecodeBench() {}

    /**
     * @param frames   frames decoded
     * @param openMs   time to open the file and probe the stream
     * @param seconds  first grab to end of file, including the copies
     * @param copyMs   time spent in the RGB copies alone, summed
     */
    record Run(int frames, int width, int height, double openMs, double seconds, double copyMs) {
        double fps() {
            return frames / seconds;
        }

        double copyMsPerFrame() {
            return copyMs / frames;
        }
    }

    /** Decodes the whole file; when {@code keep} is given, every frame's RGB array is added to it. */
    static Run decode(Path video, List<byte[]> keep) throws Exception {
        return decode(video, keep, Integer.MAX_VALUE);
    }

    /** Decodes at most {@code maxFrames} frames. */
    static Run decode(Path video, List<byte[]> keep, int maxFrames) throws Exception {
        av_log_set_level(AV_LOG_ERROR); // the camera source's default log level
        long start = System.nanoTime();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toString())) {
            grabber.setPixelFormat(AV_PIX_FMT_RGB24);
            grabber.setVideoOption("threads", "1");
            grabber.start();
            long opened = System.nanoTime();
            int frames = 0;
            long copyNanos = 0;
            int width = 0;
            int height = 0;
            while (frames < maxFrames) {
                Frame frame = grabber.grabFrame(false, true, true, false, false);
                if (frame == null) {
                    break;
                }
                long copyStart = System.nanoTime();
                byte[] rgb = RgbFrames.copy(frame);
                copyNanos += System.nanoTime() - copyStart;
                width = frame.imageWidth;
                height = frame.imageHeight;
                if (keep != null) {
                    keep.add(rgb);
                }
                frames++;
            }
            long end = System.nanoTime();
            grabber.stop();
            return new Run(frames, width, height, (opened - start) / 1e6, (end - opened) / 1e9, copyNanos / 1e6);
        }
    }

    /** Decodes the file's first {@code maxFrames} frames into memory (not timed). */
    static List<byte[]> decodeAll(Path video, int maxFrames) throws Exception {
        List<byte[]> frames = new ArrayList<>();
        decode(video, frames, maxFrames);
        return frames;
    }
}
