package io.bitvision.cli;

import java.io.IOException;
import java.nio.file.Path;

/** A face model file that a face command was to use is not there; the message says what to do. */
final class MissingFaceModelException extends IOException {
    private static final long serialVersionUID = 1L;

    MissingFaceModelException(Path path, boolean isDefault, String option) {
        super(isDefault
                ? "the default face model " + path + " is missing (run from the repository root, where the shipped "
                        + "face models are committed, or pass " + option + " PATH)"
                : option + " " + path + ": no such file");
    }
}
