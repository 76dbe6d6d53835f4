package io.bitvision.engine.model;

/** The file's format version is not one this reader knows. */
public final class UnsupportedVersionException extends ModelFormatException {
    public UnsupportedVersionException(String message) {
        super(message);
    }
}
