package io.bitvision.cli;

import java.io.IOException;
import java.nio.file.Path;

/** An image file that is missing or that javax.imageio cannot decode (not a PNG or JPEG, or damaged). */
final class UnreadableImageException extends IOException {
    private static final long serialVersionUID = 1L;

    UnreadableImageException(Path path, String why) {
        super(path + ": " + why);
    }

    /** An image that came without a file (an upload): {@code what} names it. */
    UnreadableImageException(String what, String why) {
        super(what + ": " + why);
    }

    UnreadableImageException(Path path, String why, Throwable cause) {
        super(path + ": " + why, cause);
    }
}
