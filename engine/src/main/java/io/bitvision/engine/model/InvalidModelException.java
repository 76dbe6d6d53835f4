package io.bitvision.engine.model;

/** The bytes are intact but describe something impossible: a record that overruns, an unknown operator, shapes that do not fit. */
public final class InvalidModelException extends ModelFormatException {
    public InvalidModelException(String message) {
        super(message);
    }
}
