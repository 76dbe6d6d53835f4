package io.bitvision.jobs.faults;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/** A video re-encoded as MPEG-TS (MPEG-4 part 2), the container IP cameras stream over HTTP. */
public final class TransportStreamClip {
    private TransportStreamClip() {}

    /** The clip's frame count and rate, and the file. */
    public record Clip(Path file, int frames, double fps) {
        public double seconds() {
            return frames / fps;
        }
    }

    /**
     * The whole of {@code source} as {@code DIR/NAME.ts}; kept and reused once written.
     */
    public static Clip of(Path source, Path dir) throws IOException {
        return of(source, Integer.MAX_VALUE, dir);
    }

    /**
     * The first {@code frames} frames of {@code source} (all when it has fewer) as {@code DIR/NAME-firstN.ts}; kept
     * and reused once written.
     */
    public static Clip of(Path source, int frames, Path dir) throws IOException {
        String name = source.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Path clip = dir.resolve(frames == Integer.MAX_VALUE ? name + ".ts" : name + "-first" + frames + ".ts");
        av_log_set_level(AV_LOG_ERROR);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(source.toString())) {
            grabber.start();
            double fps = grabber.getFrameRate() > 0 ? grabber.getFrameRate() : 10;
            if (Files.isRegularFile(clip) && Files.size(clip) > 0) {
                return new Clip(clip, Math.min(frames, grabber.getLengthInVideoFrames()), fps);
            }
            Files.createDirectories(dir);
            Path partial = dir.resolve(clip.getFileName() + ".part.ts");
            int written = 0;
            try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(partial.toString(), grabber.getImageWidth(),
                    grabber.getImageHeight(), 0)) {
                recorder.setFormat("mpegts");
                recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                recorder.setFrameRate(fps);
                recorder.setGopSize((int) Math.max(1, Math.round(fps))); // a key frame a second: quick to join
                recorder.setVideoQuality(3);
                recorder.start();
                Frame frame;
                while (written < frames && (frame = grabber.grabImage()) != null) {
                    recorder.record(frame);
                    written++;
                }
                recorder.stop();
            }
            grabber.stop();
            Files.move(partial, clip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Clip(clip, written, fps);
        } catch (FFmpegFrameGrabber.Exception | FFmpegFrameRecorder.Exception e) {
            throw new IOException("could not re-encode " + source + " as MPEG-TS: " + e.getMessage(), e);
        }
    }
}
