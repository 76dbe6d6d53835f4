package io.bitvision.operators.source.split;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a camera's input behaves. Decided from the URI: a plain path or {@code file:} URI is a {@link #FILE}, any
 * other scheme ({@code http}, {@code https}, {@code rtsp}, {@code rtmp}, {@code udp}, {@code srt}, ...) is
 * {@link #LIVE}. An HTTP URL that serves a recorded file is therefore treated as live.
 *
 * <p>{@code replay:PATH} (see {@link #isReplay}) is a recorded file played as a live camera: LIVE, paced at the
 * stream's own frame rate and looped forever, for load and soak tests without a camera or streaming server.
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

    /** URI prefix of a file replayed as a live camera: {@code replay:/data/vtest.avi}. */
    public static final String REPLAY_PREFIX = "replay:";

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");

    public static InputKind of(String uri) {
        Matcher m = SCHEME.matcher(uri);
        if (!m.find() || m.group(1).length() == 1) { // no scheme, or a Windows drive letter
            return FILE;
        }
        return m.group(1).toLowerCase(Locale.ROOT).equals("file") ? FILE : LIVE;
    }

    /**
     * Whether {@code uri} is a {@code replay:PATH} camera: the file at PATH (a path or {@code file:} URI) read at
     * its own frame rate (each frame handed on when its PTS is due on the wall clock), looped at its end, with
     * the semantics of a live stream (drop-to-latest, resume live after a restore).
     */
    public static boolean isReplay(String uri) {
        return uri.regionMatches(true, 0, REPLAY_PREFIX, 0, REPLAY_PREFIX.length());
    }
}
