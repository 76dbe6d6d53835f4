package io.bitvision.engine.model;

/** The stored CRC-32 does not match the bytes: the file is damaged. */
public final class ChecksumMismatchException extends ModelFormatException {
    public ChecksumMismatchException(String message) {
        super(message);
    }
}
