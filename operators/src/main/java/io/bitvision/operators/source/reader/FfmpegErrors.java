package io.bitvision.operators.source.reader;

import org.bytedeco.javacpp.BytePointer;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** FFmpeg error codes as text. */
final class FfmpegErrors {
    private FfmpegErrors() {}

    static String describe(int error) {
        try (BytePointer buf = new BytePointer(128)) {
            if (av_strerror(error, buf, buf.capacity()) == 0) {
                return buf.getString() + " (" + error + ")";
            }
        }
        return "error " + error;
    }
}
