package io.bitvision.operators.source.kafka;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** JPEGs written with the JDK's encoder from images whose content tests can check. */
final class TestJpegs {
    private TestJpegs() {}

    /** A distinct, saturated-enough colour for frame {@code index} of camera number {@code camera}. */
    static Color color(int camera, int index) {
        return new Color((37 * index + 80 * camera) % 200 + 20, (200 - 6 * index + 255) % 200 + 30, 60 + 90 * camera);
    }

    static byte[] solid(int width, int height, Color color) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return write(image);
    }

    /** Left half {@code left}, right half {@code right}: checks that the pixel layout is row-major RGB. */
    static byte[] halves(int width, int height, Color left, Color right) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(left);
        g.fillRect(0, 0, width / 2, height);
        g.setColor(right);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        return write(image);
    }

    static byte[] gray(int width, int height, int level) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, level);
            }
        }
        return write(image);
    }

    /** A four-component (CMYK-style) JPEG, written from a raw raster as the JDK encoder allows. */
    static byte[] cmyk(int width, int height) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    static byte[] png(int width, int height) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR), "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] write(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "jpeg", bytes)) {
                throw new IllegalStateException("no JPEG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Largest difference of any channel of any pixel from {@code color}. */
    static int maxDeviation(RgbImage image, Color color) {
        return maxDeviation(image.rgb(), color);
    }

    static int maxDeviation(byte[] rgb, Color color) {
        int max = 0;
        for (int i = 0; i < rgb.length; i += 3) {
            max = Math.max(max, Math.abs((rgb[i] & 0xFF) - color.getRed()));
            max = Math.max(max, Math.abs((rgb[i + 1] & 0xFF) - color.getGreen()));
            max = Math.max(max, Math.abs((rgb[i + 2] & 0xFF) - color.getBlue()));
        }
        return max;
    }
}
