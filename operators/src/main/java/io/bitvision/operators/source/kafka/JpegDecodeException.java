package io.bitvision.operators.source.kafka;

/** Why {@link JpegFrames} refused an input; {@link #kind()} says which class of problem it is. */
public final class JpegDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Classes of undecodable input. */
    public enum Kind {
        /** No bytes at all (null or empty). */
        EMPTY,
        /** More bytes than {@link JpegLimits#maxBytes()}; not decoded. */
        TOO_MANY_BYTES,
        /** The header declares more pixels than {@link JpegLimits#maxPixels()}; not decoded. */
        TOO_MANY_PIXELS,
        /** Not a JPEG, or a damaged one: bad header, truncated data, decoder errors or warnings. */
        CORRUPT,
        /** A valid JPEG in a form this decoder does not turn into RGB (CMYK/YCCK, unusual precision). */
        UNSUPPORTED
    }

    private final Kind kind;

    public JpegDecodeException(Kind kind, String message) {
        this(kind, message, null);
    }

    public JpegDecodeException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the input was refused for its size ({@link Kind#TOO_MANY_BYTES} or {@link Kind#TOO_MANY_PIXELS}). */
    public boolean oversized() {
        return kind == Kind.TOO_MANY_BYTES || kind == Kind.TOO_MANY_PIXELS;
    }
}
