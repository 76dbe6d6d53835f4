package io.bitvision.operators.preview;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Encodes a downscaled frame as a baseline JPEG (javax.imageio); {@link #encode(byte[], int, int)} also scales. */
public final class PreviewEncoder {
    private static final float QUALITY = 0.8f;

    private final PreviewScaler scaler;

    /** @param maxWidth what {@link #encode(byte[], int, int)} scales to at most */
    public PreviewEncoder(int maxWidth) {
        this.scaler = new PreviewScaler(maxWidth);
    }

    /** A JPEG and its size. */
    public record Jpeg(byte[] bytes, int width, int height) {}

    /** Scales an interleaved RGB frame ({@link PreviewScaler}) and encodes it. */
    public Jpeg encode(byte[] rgb, int height, int width) {
        return encode(scaler.scale(rgb, height, width));
    }

    public Jpeg encode(PreviewScaler.Scaled frame) {
        if (frame.bgr().length != frame.width() * frame.height() * 3) {
            throw new IllegalArgumentException("a " + frame.width() + "x" + frame.height() + " preview needs "
                    + frame.width() * frame.height() * 3 + " bytes, got " + frame.bgr().length);
        }
        BufferedImage image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(frame.bgr(), frame.bgr().length),
                frame.width(), frame.height(), frame.width() * 3, 3, new int[] {2, 1, 0}, null);
        image.setData(raster);
        return new Jpeg(jpeg(image), frame.width(), frame.height());
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
