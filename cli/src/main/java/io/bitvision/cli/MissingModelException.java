package io.bitvision.cli;

import java.io.IOException;
import java.nio.file.Path;

/** The model file a command was to run is not there; the message says what to do. */
final class MissingModelException extends IOException {
    private static final long serialVersionUID = 1L;

    MissingModelException(Path path, boolean isDefault) {
        super(isDefault
                ? "the default model " + path + " is missing (run from the repository root, where the trained person "
                        + "model is committed, or pass --model PATH)"
                : "model file " + path + " does not exist");
    }
}
