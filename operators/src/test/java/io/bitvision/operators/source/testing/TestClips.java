package io.bitvision.operators.source.testing;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Real video for tests: the installed vtest.avi and short clips written with FFmpeg's mpeg4 encoder. */
public final class TestClips {
    /** Debian opencv-doc: 768x576, 10 fps, 795 frames, msmpeg4v3. */
    public static final Path VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");
    public static final int VTEST_FRAMES = 795;

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR); // no stream dumps from the recorder
    }

    private TestClips() {}

    /**
     * Writes {@code frames} frames of {@code width x height} at 10 fps, mpeg4, GOP 10, into {@code file}; the
     * container follows the extension ({@code .avi}: AVI, {@code .ts}: MPEG-TS). Frame i is a gradient that moves
     * with i.
     */
    public static Path mpeg4(Path file, int frames, int width, int height) throws Exception {
        String name = file.getFileName().toString();
        String format = name.endsWith(".ts") ? "mpegts" : name.endsWith(".mkv") ? "matroska" : "avi";
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toString(), width, height, 0)) {
            recorder.setFormat(format);
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(10);
            recorder.setGopSize(10);
            recorder.setVideoQuality(5);
            recorder.start();
            Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
            ByteBuffer pixels = (ByteBuffer) frame.image[0];
            for (int i = 0; i < frames; i++) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int p = y * frame.imageStride + x * 3;
                        pixels.put(p, (byte) (x + i * 4));
                        pixels.put(p + 1, (byte) (y * 2));
                        pixels.put(p + 2, (byte) (i * 8));
                    }
                }
                recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
            }
        } // close() flushes, writes the trailer and releases

        return file;
    }

    /** Copies the first {@code fraction} of {@code source}'s bytes to {@code target}. */
    public static Path truncatedCopy(Path source, Path target, double fraction) throws IOException {
        byte[] bytes = Files.readAllBytes(source);
        Files.write(target, Arrays.copyOf(bytes, (int) (bytes.length * fraction)));
        return target;
    }
}
