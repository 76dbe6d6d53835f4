package io.bitvision.testkit.clips;

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

/** Finite test videos for the cluster checks and tests: the first N frames of a file re-encoded, and a frame count by decoding. */
public final class VideoClip {
    private VideoClip() {}

    /**
     * The first {@code frames} frames of {@code source}, re-encoded (MPEG-4 part 2, near-lossless) to
     * {@code DIR/NAME-firstN.avi}; kept and reused once written.
     */
    public static Path firstFrames(Path source, int frames, Path dir) throws IOException {
        String name = source.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Path clip = dir.resolve(name + "-first" + frames + ".avi");
        if (Files.isRegularFile(clip) && Files.size(clip) > 0) {
            return clip;
        }
        Files.createDirectories(dir);
        Path partial = dir.resolve(clip.getFileName() + ".part.avi");
        reencode(source, frames, partial, "avi", false);
        Files.move(partial, clip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return clip;
    }

    /** What {@link #reencode} wrote: the frames and the frame rate they were written at. */
    public record Encoded(int frames, double fps) {}

    /**
     * Writes the first {@code frames} frames of {@code source} (all when it has fewer) to {@code target} in the
     * container {@code format}, MPEG-4 part 2 near-lossless, at the source's frame rate (10 fps when it declares
     * none).
     *
     * @param keyFrameEverySecond a key frame per second of video (a client joining mid-stream decodes within a
     *                            second) instead of FFmpeg's default interval
     */
    public static Encoded reencode(Path source, int frames, Path target, String format, boolean keyFrameEverySecond)
            throws IOException {
        av_log_set_level(AV_LOG_ERROR);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(source.toString())) {
            grabber.start();
            double fps = grabber.getFrameRate() > 0 ? grabber.getFrameRate() : 10;
            int written = 0;
            try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(target.toString(), grabber.getImageWidth(),
                    grabber.getImageHeight(), 0)) {
                recorder.setFormat(format);
                recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                recorder.setFrameRate(fps);
                if (keyFrameEverySecond) {
                    recorder.setGopSize((int) Math.max(1, Math.round(fps)));
                }
                recorder.setVideoQuality(2);
                recorder.start();
                Frame frame;
                while (written < frames && (frame = grabber.grabImage()) != null) {
                    recorder.record(frame);
                    written++;
                }
                recorder.stop();
            }
            grabber.stop();
            return new Encoded(written, fps);
        } catch (FFmpegFrameGrabber.Exception | FFmpegFrameRecorder.Exception e) {
            throw new IOException("could not re-encode " + source + " as " + format + ": " + e.getMessage(), e);
        }
    }

    /** The video's frame rate as its container declares it: the rate a {@code replay:} camera delivers. */
    public static double frameRate(Path video) throws IOException {
        av_log_set_level(AV_LOG_ERROR);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toString())) {
            grabber.start();
            double fps = grabber.getVideoFrameRate();
            grabber.stop();
            return fps;
        } catch (FFmpegFrameGrabber.Exception e) {
            throw new IOException("could not open " + video + ": " + e.getMessage(), e);
        }
    }

    /** How many video frames FFmpeg decodes from the file (what the job's camera source will number). */
    public static int countFrames(Path video) throws IOException {
        av_log_set_level(AV_LOG_ERROR);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toString())) {
            grabber.start();
            int count = 0;
            while (grabber.grabImage() != null) {
                count++;
            }
            grabber.stop();
            return count;
        } catch (FFmpegFrameGrabber.Exception e) {
            throw new IOException("could not decode " + video + ": " + e.getMessage(), e);
        }
    }
}
