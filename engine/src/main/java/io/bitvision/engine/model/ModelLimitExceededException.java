package io.bitvision.engine.model;

/** The model exceeds a configured {@link ReaderLimits} bound. */
public final class ModelLimitExceededException extends ModelFormatException {
    public ModelLimitExceededException(String message) {
        super(message);
    }
}
