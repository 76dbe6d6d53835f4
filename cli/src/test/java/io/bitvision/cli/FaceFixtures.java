package io.bitvision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * What the face command tests run on: the shipped face models (models/, committed with the trained weights; the
 * tests that use them fail, not skip, without them) and frames of Megamind.avi (Debian opencv-doc) as PNG files.
 * Frames are those of jobs/src/test/resources/megamind-teacher-faces.txt: Roxanne (teacher identity 0) alone in frames
 * 154-198, the man with glasses (identity 1) alone in frames 98-120.
 */
public final class FaceFixtures {
    public static final Path MODELS = Path.of("..", "models");
    static final Path DETECTOR = MODELS.resolve(FaceModels.DETECTOR_NAME);
    static final Path EMBEDDER = MODELS.resolve(FaceModels.EMBEDDER_NAME);
    public static final Path MEGAMIND = Path.of("/usr/share/doc/opencv-doc/examples/data/Megamind.avi");
    /** Roxanne's face, 127x161 px, and a smaller one of someone else. */
    static final int ROXANNE_WITH_ANOTHER = 2;
    static final int[] ROXANNE_ALONE = {154, 158, 174};
    static final int[] GLASSES_ALONE = {98, 104, 110};

    private FaceFixtures() {}

    /** The shipped models, as arguments; fails (does not skip) when they are not there. */
    static String[] models() {
        assertThat(DETECTOR).as("the shipped face detector " + DETECTOR + " (this test needs it)").isRegularFile();
        assertThat(EMBEDDER).as("the shipped face embedder " + EMBEDDER + " (this test needs it)").isRegularFile();
        return new String[] {"--face-detector", DETECTOR.toString(), "--face-model", EMBEDDER.toString()};
    }

    /** Frames of Megamind.avi (0-based, decode order) written as dir/megamind-NNN.png. */
    public static Map<Integer, Path> megamind(Path dir, int... frames) throws Exception {
        assertThat(MEGAMIND).as("Debian opencv-doc's Megamind.avi").isRegularFile();
        int[] wanted = frames.clone();
        Arrays.sort(wanted);
        Map<Integer, Path> written = new LinkedHashMap<>();
        Files.createDirectories(dir);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(MEGAMIND.toFile());
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            grabber.start();
            int next = 0;
            for (int index = 0; next < wanted.length; index++) {
                Frame frame = grabber.grabImage();
                assertThat(frame).as("frame " + index + " of " + MEGAMIND).isNotNull();
                if (index == wanted[next]) {
                    BufferedImage image = converter.convert(frame);
                    Path file = dir.resolve(String.format("megamind-%03d.png", index));
                    assertThat(ImageIO.write(image, "png", file.toFile())).isTrue();
                    written.put(index, file);
                    next++;
                }
            }
            grabber.stop();
        }
        return written;
    }

    /** A flat grey image: no face for any detector. */
    public static Path blank(Path dir, String name) throws Exception {
        BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(new java.awt.Color(128, 128, 128));
        g.fillRect(0, 0, 320, 240);
        g.dispose();
        Path file = dir.resolve(name);
        assertThat(ImageIO.write(image, "png", file.toFile())).isTrue();
        return file;
    }

    static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
