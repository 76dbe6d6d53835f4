package io.bitvision.engine.model;

/** The file ends before the length its header declares. */
public final class TruncatedModelException extends ModelFormatException {
    public TruncatedModelException(String message) {
        super(message);
    }
}
