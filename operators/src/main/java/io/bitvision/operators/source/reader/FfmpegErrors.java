package io.bitvision.operators.source.reader;

import org.bytedeco.javacpp.BytePointer;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** FFmpeg error codes as text. */
final class FfmpegErrors {
    /** How JavaCV reports a failed FFmpeg call: {@code "avformat_open_input() error -110: Could not open ..."}. */
    private static final java.util.regex.Pattern CALL_ERROR =
            java.util.regex.Pattern.compile("(\\w+)\\(\\) error (-?\\d+): ([^\"(]*)");

    private FfmpegErrors() {}

    /**
     * A JavaCV exception message with FFmpeg's meaning of the error code instead of the bare number and JavaCV's
     * hint, e.g. {@code avformat_open_input() error -110: Could not open input "URL". (Has setFormat() been called?)}
     * becomes {@code Could not open input: Connection timed out (-110)} (the camera is known to whoever reads it, and
     * a URL may hold credentials); other messages are returned as they are.
     */
    static String explain(String message) {
        if (message == null) {
            return null;
        }
        java.util.regex.Matcher m = CALL_ERROR.matcher(message);
        if (!m.find()) {
            return message;
        }
        int code;
        try {
            code = Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            return message;
        }
        String text = m.group(3).replaceAll("[.\\s]+$", "").trim();
        return (text.isEmpty() ? m.group(1) + "() failed" : text) + ": " + describe(code);
    }

    static String describe(int error) {
        try (BytePointer buf = new BytePointer(128)) {
            if (av_strerror(error, buf, buf.capacity()) == 0) {
                // The buffer is not cleared and getString reads to its limit: the text ends at the first NUL.
                String text = buf.getString();
                int end = text.indexOf('\0');
                return (end >= 0 ? text.substring(0, end) : text) + " (" + error + ")";
            }
        }
        return "error " + error;
    }
}
