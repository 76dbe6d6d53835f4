package io.bitvision.testkit.clips;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's sample video: vtest.avi from Debian's opencv-doc package (a static surveillance camera with
 * pedestrians, 768x576, 10 fps, 795 frames). The launcher installs the package when it is missing; the file is
 * copied into .bitvision/samples so later runs do not depend on the package staying installed.
 */
public final class SampleVideo {
    public static final Path DEBIAN_VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");

    private SampleVideo() {}

    public static Path vtest(Path cacheDir) throws IOException {
        Path cached = cacheDir.resolve("vtest.avi");
        if (Files.isRegularFile(cached) && Files.size(cached) > 0) {
            return cached;
        }
        if (!Files.isRegularFile(DEBIAN_VTEST)) {
            throw new IOException("sample video " + DEBIAN_VTEST + " is missing: install it with "
                    + "`apt-get install opencv-doc` (./bitvision demo does this when run as root)");
        }
        Files.createDirectories(cacheDir);
        Path partial = cacheDir.resolve("vtest.avi.part");
        Files.copy(DEBIAN_VTEST, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, cached, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return cached;
    }
}
