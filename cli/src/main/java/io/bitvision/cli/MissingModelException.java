package io.bitvision.cli;

import java.io.IOException;
import java.nio.file.Path;

/** The model file a command was to run is not there; the message names the path tried and what to do. */
public final class MissingModelException extends IOException {
    private static final long serialVersionUID = 1L;

    MissingModelException(Path path, boolean isDefault) {
        super(isDefault
                ? "no person model: " + path.toAbsolutePath().normalize() + " not found; give --model PATH (or --models-dir DIR)"
                        + ", or --stand-in-model to run the hand-built stand-in that marks dark regions, not people"
                : "--model " + path + ": no such file");
    }
}
