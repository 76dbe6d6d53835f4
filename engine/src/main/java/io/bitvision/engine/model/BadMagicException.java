package io.bitvision.engine.model;

/** The file does not start with the model magic: not a bitvision model. */
public final class BadMagicException extends ModelFormatException {
    public BadMagicException(String message) {
        super(message);
    }
}
