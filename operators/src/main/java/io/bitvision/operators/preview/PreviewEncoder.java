package io.bitvision.operators.preview;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Downscales an interleaved RGB frame to at most a given width (aspect kept) and encodes it as a JPEG. */
public final class PreviewEncoder {
    private static final float QUALITY = 0.8f;

    private final int maxWidth;

    public PreviewEncoder(int maxWidth) {
        this.maxWidth = maxWidth;
    }

    /** A JPEG and its size. */
    public record Jpeg(byte[] bytes, int width, int height) {}

    public Jpeg encode(byte[] rgb, int height, int width) {
        if (rgb.length != height * width * 3) {
            throw new IllegalArgumentException("frame of " + width + "x" + height + " needs " + height * width * 3
                    + " RGB bytes, got " + rgb.length);
        }
        int outWidth = Math.min(width, maxWidth);
        int outHeight = Math.max(1, Math.round((float) height * outWidth / width));
        BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) frame.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        BufferedImage scaled = frame;
        if (outWidth != width) {
            scaled = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_3BYTE_BGR);
            var g = scaled.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(frame, 0, 0, outWidth, outHeight, null);
            g.dispose();
        }
        return new Jpeg(jpeg(scaled), outWidth, outHeight);
    }

    private static byte[] jpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * 1024);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding of a preview failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
