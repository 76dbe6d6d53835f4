package io.bitvision.operators.source.kafka;

import io.bitvision.operators.source.kafka.JpegDecodeException.Kind;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG bytes into interleaved RGB with the JDK's own decoder ({@code javax.imageio}), or says why not with
 * a {@link JpegDecodeException}; it never throws anything else for bad input.
 *
 * <p>Checks, in order: empty input; more than {@link JpegLimits#maxBytes()}; no JPEG start-of-image marker; the
 * header (dimensions above {@link JpegLimits#maxPixels()} are refused before decoding); the colour space (YCbCr/RGB
 * and grayscale are accepted, grayscale is replicated into R=G=B; CMYK/YCCK is refused as {@code UNSUPPORTED}
 * rather than guessed); then the decode itself. Any decoder warning (truncated data, missing end-of-image marker,
 * corrupt entropy data) counts as {@code CORRUPT}: the JDK decoder fills what it could not read with gray and
 * would otherwise return a damaged frame as if it were fine.
 *
 * <p>Not thread-safe: one instance per thread (a Flink subtask). It keeps one JDK reader and replaces it after a
 * failure. Works entirely in memory (no ImageIO disk cache).
 */
public final class JpegFrames {
    private static final int MAX_WARNINGS_REPORTED = 3;

    private final JpegLimits limits;
    private ImageReader reader;

    public JpegFrames(JpegLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public JpegLimits limits() {
        return limits;
    }

    /**
     * @param jpeg the encoded image (not modified, not kept)
     * @return its pixels as RGB
     * @throws JpegDecodeException for empty, oversized, corrupt or unsupported input
     */
    public RgbImage decode(byte[] jpeg) throws JpegDecodeException {
        if (jpeg == null || jpeg.length == 0) {
            throw new JpegDecodeException(Kind.EMPTY, "empty input: no JPEG bytes");
        }
        if (jpeg.length > limits.maxBytes()) {
            throw new JpegDecodeException(Kind.TOO_MANY_BYTES,
                    "JPEG of " + jpeg.length + " bytes exceeds the limit of " + limits.maxBytes() + " bytes");
        }
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8 || (jpeg[2] & 0xFF) != 0xFF) {
            throw new JpegDecodeException(Kind.CORRUPT, "not a JPEG: no start-of-image marker (FF D8 FF), starts with "
                    + HexFormat.ofDelimiter(" ").formatHex(jpeg, 0, Math.min(jpeg.length, 8)));
        }
        ImageReader r = reader();
        List<String> warnings = new ArrayList<>();
        r.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        boolean ok = false;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            r.setInput(in, true, true);
            RgbImage image = read(r, warnings);
            ok = true;
            return image;
        } catch (JpegDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // IIOException for bad structure; the native decoder can also fail with runtime exceptions.
            throw new JpegDecodeException(Kind.CORRUPT, "corrupt JPEG: " + describe(e) + warningText(warnings), e);
        } finally {
            release(r, ok);
        }
    }

    private RgbImage read(ImageReader r, List<String> warnings) throws IOException, JpegDecodeException {
        int width = r.getWidth(0);
        int height = r.getHeight(0);
        if (width < 1 || height < 1) {
            throw new JpegDecodeException(Kind.CORRUPT, "corrupt JPEG: header declares " + width + "x" + height);
        }
        if ((long) width * height > limits.maxPixels()) {
            throw new JpegDecodeException(Kind.TOO_MANY_PIXELS, "JPEG of " + width + "x" + height + " = "
                    + (long) width * height + " pixels exceeds the limit of " + limits.maxPixels() + " pixels");
        }
        Iterator<ImageTypeSpecifier> types = r.getImageTypes(0);
        if (types.hasNext()) {
            ColorSpace space = types.next().getColorModel().getColorSpace();
            if (space.getType() != ColorSpace.TYPE_RGB && space.getType() != ColorSpace.TYPE_GRAY) {
                throw new JpegDecodeException(Kind.UNSUPPORTED, "unsupported JPEG colour space with "
                        + space.getNumComponents() + " components (" + colorSpaceName(space.getType())
                        + "); send YCbCr/RGB or grayscale");
            }
        }
        BufferedImage image = r.read(0, null);
        if (!warnings.isEmpty()) {
            throw new JpegDecodeException(Kind.CORRUPT, "damaged JPEG" + warningText(warnings));
        }
        return new RgbImage(image.getWidth(), image.getHeight(), toRgb(image));
    }

    /** Interleaved RGB of any decoded image; the two types the JPEG reader returns for RGB and gray are copied fast. */
    public static byte[] toRgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] rgb = new byte[width * height * 3];
        Raster raster = image.getRaster();
        switch (image.getType()) {
            // Band order R, G, B: getDataElements returns the samples in band order whatever the byte layout.
            case BufferedImage.TYPE_3BYTE_BGR -> raster.getDataElements(0, 0, width, height, rgb);
            case BufferedImage.TYPE_BYTE_GRAY -> {
                // JPEG gray is gamma-encoded like sRGB: replicate it, do not convert through the linear gray space.
                byte[] gray = new byte[width * height];
                raster.getDataElements(0, 0, width, height, gray);
                for (int i = 0, o = 0; i < gray.length; i++, o += 3) {
                    rgb[o] = gray[i];
                    rgb[o + 1] = gray[i];
                    rgb[o + 2] = gray[i];
                }
            }
            default -> {
                int[] row = new int[width];
                for (int y = 0, o = 0; y < height; y++) {
                    image.getRGB(0, y, width, 1, row, 0, width);
                    for (int argb : row) {
                        rgb[o++] = (byte) (argb >> 16);
                        rgb[o++] = (byte) (argb >> 8);
                        rgb[o++] = (byte) argb;
                    }
                }
            }
        }
        return rgb;
    }

    private ImageReader reader() throws JpegDecodeException {
        if (reader == null) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
            if (!readers.hasNext()) {
                throw new JpegDecodeException(Kind.UNSUPPORTED, "no JPEG reader in this JVM (javax.imageio)");
            }
            reader = readers.next();
        }
        return reader;
    }

    /** Detaches the input; after a failure the reader is dropped, so a decoder left in a bad state is never reused. */
    private void release(ImageReader r, boolean decoded) {
        boolean reusable = decoded;
        r.removeAllIIOReadWarningListeners();
        try {
            r.setInput(null);
        } catch (RuntimeException e) {
            reusable = false;
        }
        if (!reusable) {
            reader = null;
            try {
                r.dispose();
            } catch (RuntimeException e) {
                // Already failed; nothing more to release.
            }
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }

    private static String warningText(List<String> warnings) {
        if (warnings.isEmpty()) {
            return "";
        }
        List<String> distinct = warnings.stream().distinct().toList();
        String shown = String.join("; ", distinct.subList(0, Math.min(distinct.size(), MAX_WARNINGS_REPORTED)));
        return " (decoder warnings: " + shown + (distinct.size() > MAX_WARNINGS_REPORTED ? "; ..." : "") + ")";
    }

    private static String colorSpaceName(int type) {
        return switch (type) {
            case ColorSpace.TYPE_CMYK -> "CMYK";
            case ColorSpace.TYPE_YCbCr -> "YCbCr";
            case ColorSpace.TYPE_GRAY -> "gray";
            case ColorSpace.TYPE_RGB -> "RGB";
            default -> "colour space type " + type;
        };
    }
}
