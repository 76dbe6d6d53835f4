package io.bitvision.engine.model;

import java.io.IOException;

/** A model file that cannot be used. Subclasses say why; the message says where. */
public class ModelFormatException extends IOException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
