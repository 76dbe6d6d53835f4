package io.bitvision.operators.source.split;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a camera's input behaves. Decided from the URI: a plain path or {@code file:} URI is a {@link #FILE}, any
 * other scheme ({@code http}, {@code https}, {@code rtsp}, {@code rtmp}, {@code udp}, {@code srt}, ...) is
 * {@link #LIVE}. An HTTP URL that serves a recorded file is therefore treated as live.
 */
public enum InputKind {
    /**
     * Finite and replayable: every frame is delivered (the decoder waits when downstream is slow, it never drops),
     * a restore resumes at the exact next frame, the camera ends at end of file.
     */
    FILE,
    /**
     * A live stream: drop-to-latest when downstream is slow, a restore resumes live, end of stream or errors
     * reconnect.
     */
    LIVE;

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");

    public static InputKind of(String uri) {
        Matcher m = SCHEME.matcher(uri);
        if (!m.find() || m.group(1).length() == 1) { // no scheme, or a Windows drive letter
            return FILE;
        }
        return m.group(1).toLowerCase(Locale.ROOT).equals("file") ? FILE : LIVE;
    }
}
