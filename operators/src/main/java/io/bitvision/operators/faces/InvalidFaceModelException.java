package io.bitvision.operators.faces;

/** A face embedding model that cannot be used: unreadable, or its inputs or outputs are not the expected ones. */
public final class InvalidFaceModelException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidFaceModelException(String message) {
        super(message);
    }

    public InvalidFaceModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
