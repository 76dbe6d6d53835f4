package io.bitvision.cli;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Image files through javax.imageio: PNG and JPEG (and whatever else the JDK reads) in, PNG out. */
final class ImageFiles {
    private ImageFiles() {}

    /** The image as 8-bit RGB ({@link BufferedImage#TYPE_3BYTE_BGR}); alpha is composited over black. */
    static BufferedImage readRgb(Path path) throws UnreadableImageException {
        if (!Files.isRegularFile(path)) {
            throw new UnreadableImageException(path, "no such file");
        }
        BufferedImage decoded;
        try {
            decoded = ImageIO.read(path.toFile());
        } catch (IOException | RuntimeException e) {
            throw new UnreadableImageException(path, "damaged image: " + e.getMessage(), e);
        }
        return toRgb(decoded, path.toString());
    }

    /** Uploads larger than this many pixels are refused before they are decoded. */
    static final long MAX_UPLOAD_PIXELS = 40_000_000L;

    /**
     * An image held in memory (an upload, never written to disk): {@code what} names it in errors. Its size is read
     * from the header first, so a small file that declares a huge image is refused before it is decoded.
     */
    static BufferedImage readRgb(byte[] encoded, String what) throws UnreadableImageException {
        BufferedImage decoded;
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(encoded))) {
            java.util.Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UnreadableImageException(what, "not an image javax.imageio can read (give a PNG or JPEG)");
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_UPLOAD_PIXELS) {
                    throw new UnreadableImageException(what, reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " is larger than the " + MAX_UPLOAD_PIXELS / 1_000_000 + " megapixels a photo may have");
                }
                decoded = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (UnreadableImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UnreadableImageException(what, "damaged image: " + e.getMessage());
        }
        return toRgb(decoded, what);
    }

    private static BufferedImage toRgb(BufferedImage decoded, String what) throws UnreadableImageException {
        if (decoded == null) {
            throw new UnreadableImageException(what, "not an image javax.imageio can read (give a PNG or JPEG)");
        }
        if ((long) decoded.getWidth() * decoded.getHeight() * 3 > Integer.MAX_VALUE - 8) {
            throw new UnreadableImageException(what, decoded.getWidth() + "x" + decoded.getHeight()
                    + " is too large to hold as one RGB array");
        }
        BufferedImage rgb = new BufferedImage(decoded.getWidth(), decoded.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(decoded, 0, 0, null);
        g.dispose();
        return rgb;
    }

    /** Interleaved R, G, B bytes, row-major, of a {@link BufferedImage#TYPE_3BYTE_BGR} image. */
    static byte[] rgbBytes(BufferedImage image) {
        byte[] rgb = new byte[image.getWidth() * image.getHeight() * 3];
        // getDataElements returns each pixel's samples in band order (R, G, B), whatever the byte layout.
        image.getRaster().getDataElements(0, 0, image.getWidth(), image.getHeight(), rgb);
        return rgb;
    }

    static void writePng(BufferedImage image, Path path) throws IOException {
        if (path.toAbsolutePath().getParent() != null) {
            Files.createDirectories(path.toAbsolutePath().getParent());
        }
        if (!ImageIO.write(image, "png", path.toFile())) {
            throw new IOException("javax.imageio has no PNG writer");
        }
    }
}
