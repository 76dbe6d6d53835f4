package io.bitvision.jobs.demo;

import io.bitvision.engine.post.CocoRle;
import io.bitvision.schemas.FrameMasks;
import io.bitvision.schemas.Instance;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Draws what consumers received (masks decoded from the COCO RLE strings, boxes, track ids) onto the source
 * video's frames, for a person to look at: one PNG per chosen frame and a 3 x 2 contact sheet.
 */
public final class OverlayWriter {
    private OverlayWriter() {}

    /** @return the contact sheet's path */
    public static Path write(Path video, List<FrameMasks> records, int count, Path directory) throws IOException {
        Files.createDirectories(directory);
        Map<Long, FrameMasks> bySeq = new TreeMap<>();
        for (FrameMasks r : records) {
            bySeq.put(r.getFrameSeq(), r);
        }
        long last = bySeq.isEmpty() ? 0 : ((TreeMap<Long, FrameMasks>) bySeq).lastKey();
        long[] wanted = new long[count];
        for (int i = 0; i < count; i++) {
            wanted[i] = (last * (2L * i + 1)) / (2L * count);
        }
        BufferedImage[] drawn = new BufferedImage[count];
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            grabber.start();
            int next = 0;
            for (long seq = 0; next < count; seq++) {
                Frame frame = grabber.grabImage();
                if (frame == null) {
                    break;
                }
                if (seq != wanted[next]) {
                    continue;
                }
                BufferedImage image = copy(converter.convert(frame));
                FrameMasks masks = bySeq.get(seq);
                if (masks != null) {
                    paint(image, masks);
                }
                ImageIO.write(image, "png", directory.resolve(String.format("frame_%04d.png", seq)).toFile());
                drawn[next++] = image;
            }
            grabber.stop();
        }
        Path sheet = directory.resolve("overlay.png");
        ImageIO.write(contactSheet(drawn), "png", sheet.toFile());
        return sheet;
    }

    private static BufferedImage copy(BufferedImage source) {
        BufferedImage image = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.drawImage(source, 0, 0, null);
        g.dispose();
        return image;
    }

    static void paint(BufferedImage image, FrameMasks masks) {
        int height = image.getHeight();
        int width = image.getWidth();
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        for (Instance instance : masks.getInstances()) {
            Color color = colorOf(instance.getTrackId());
            byte[] mask = CocoRle.decode(CocoRle.decompress(instance.getRle().getCounts()), height, width);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    if (mask[y * width + x] != 0) {
                        image.setRGB(x, y, blend(image.getRGB(x, y), color));
                    }
                }
            }
            List<Float> box = instance.getBbox();
            g.setColor(color);
            g.setStroke(new BasicStroke(2f));
            g.drawRect(Math.round(box.get(0)), Math.round(box.get(1)), Math.round(box.get(2)), Math.round(box.get(3)));
            g.drawString("#" + instance.getTrackId(), Math.round(box.get(0)) + 2, Math.max(14, Math.round(box.get(1)) - 3));
        }
        g.setColor(Color.WHITE);
        g.drawString(masks.getCameraId() + " frame " + masks.getFrameSeq() + "  " + masks.getModelId(), 8, height - 8);
        g.dispose();
    }

    private static Color colorOf(long trackId) {
        float hue = (float) ((trackId * 0.618033988749895) % 1.0);
        return Color.getHSBColor(hue, 0.9f, 1f);
    }

    private static int blend(int rgb, Color color) {
        int r = (((rgb >> 16) & 0xFF) * 55 + color.getRed() * 45) / 100;
        int gr = (((rgb >> 8) & 0xFF) * 55 + color.getGreen() * 45) / 100;
        int b = ((rgb & 0xFF) * 55 + color.getBlue() * 45) / 100;
        return (r << 16) | (gr << 8) | b;
    }

    private static BufferedImage contactSheet(BufferedImage[] images) {
        int cols = 3;
        int rows = (images.length + cols - 1) / cols;
        int cellW = 384;
        int cellH = 288;
        BufferedImage sheet = new BufferedImage(cols * cellW, Math.max(1, rows) * cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        for (int i = 0; i < images.length; i++) {
            if (images[i] != null) {
                g.drawImage(images[i], (i % cols) * cellW, (i / cols) * cellH, cellW, cellH, null);
            }
        }
        g.dispose();
        return sheet;
    }
}
