package io.bitvision.cli;

import java.io.IOException;
import java.nio.file.Path;

/** A face model file that a face command was to use is not there; the message names the path tried and what to do. */
final class MissingFaceModelException extends IOException {
    private static final long serialVersionUID = 1L;

    MissingFaceModelException(Path path, boolean isDefault, String option) {
        super(isDefault
                ? "no face model: " + path.toAbsolutePath().normalize() + " not found; give " + option + " PATH (or --models-dir DIR)"
                : option + " " + path + ": no such file");
    }
}
