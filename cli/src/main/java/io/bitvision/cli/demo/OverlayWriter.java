package io.bitvision.cli.demo;

import io.bitvision.engine.post.CocoRle;
import io.bitvision.schemas.FrameMasks;
import io.bitvision.schemas.Instance;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Draws what consumers received (masks from the COCO RLE strings, boxes, track ids, matched faces) onto the source
 * video's frames, for a person to look at: one PNG per chosen frame and a contact sheet of 3 columns.
 */
public final class OverlayWriter {
    private OverlayWriter() {}

    /** A face-match event to draw: the face's box on the frame and what it matched. */
    public record FaceMark(long frameSeq, float[] box, String label) {}

    /**
     * Draws {@code count} frames spread over the records' span.
     *
     * @return the contact sheet's path
     */
    public static Path write(Path video, List<FrameMasks> records, int count, Path directory) throws IOException {
        long last = records.stream().mapToLong(FrameMasks::getFrameSeq).max().orElse(0);
        long[] wanted = new long[count];
        for (int i = 0; i < count; i++) {
            wanted[i] = (last * (2L * i + 1)) / (2L * count);
        }
        return write(video, records, wanted, List.of(), directory, "overlay.png");
    }

    /**
     * Draws the frames of face-match events (at most {@code count}, spread over the events) with the person masks
     * of the same frame and each matched face's box and identity.
     *
     * @return the contact sheet's path, or null without events
     */
    public static Path writeFaceMatches(Path video, List<FrameMasks> records, List<FaceMark> marks, int count,
                                        Path directory) throws IOException {
        long[] frames = marks.stream().mapToLong(FaceMark::frameSeq).distinct().sorted().toArray();
        if (frames.length == 0) {
            return null;
        }
        long[] wanted = new long[Math.min(count, frames.length)];
        for (int i = 0; i < wanted.length; i++) {
            wanted[i] = frames[(int) ((long) i * frames.length / wanted.length)];
        }
        return write(video, records, wanted, marks, directory, "face-matches.png");
    }

    private static Path write(Path video, List<FrameMasks> records, long[] wanted, List<FaceMark> marks,
                              Path directory, String sheetName) throws IOException {
        Files.createDirectories(directory);
        Map<Long, FrameMasks> bySeq = new TreeMap<>();
        for (FrameMasks r : records) {
            bySeq.put(r.getFrameSeq(), r);
        }
        BufferedImage[] drawn = new BufferedImage[wanted.length];
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            grabber.start();
            int next = 0;
            for (long seq = 0; next < wanted.length; seq++) {
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
                for (FaceMark mark : marks) {
                    if (mark.frameSeq() == seq) {
                        paintFace(image, mark);
                    }
                }
                ImageIO.write(image, "png", directory.resolve(String.format("frame_%04d.png", seq)).toFile());
                drawn[next++] = image;
            }
            grabber.stop();
        }
        Path sheet = directory.resolve(sheetName);
        ImageIO.write(contactSheet(drawn), "png", sheet.toFile());
        return sheet;
    }

    private static void paintFace(BufferedImage image, FaceMark mark) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.YELLOW);
        g.setStroke(new java.awt.BasicStroke(3));
        float[] b = mark.box();
        g.drawRect(Math.round(b[0]), Math.round(b[1]), Math.round(b[2]), Math.round(b[3]));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(mark.label(), Math.round(b[0]), Math.max(12, Math.round(b[1]) - 4));
        g.dispose();
    }

    private static BufferedImage copy(BufferedImage source) {
        BufferedImage image = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.drawImage(source, 0, 0, null);
        g.dispose();
        return image;
    }

    /** Masks, boxes and track ids (with class and score) of one frame's record, and a caption naming the frame. */
    static void paint(BufferedImage image, FrameMasks masks) {
        List<InstancePainter.Drawn> drawn = new ArrayList<>(masks.getInstances().size());
        for (Instance instance : masks.getInstances()) {
            List<Float> box = instance.getBbox();
            String label = String.format(Locale.ROOT, "#%d %s %.2f", instance.getTrackId(), instance.getClassName(),
                    instance.getScore());
            drawn.add(new InstancePainter.Drawn(CocoRle.decompress(instance.getRle().getCounts()),
                    new float[] {box.get(0), box.get(1), box.get(2), box.get(3)}, label,
                    InstancePainter.colour(instance.getTrackId())));
        }
        InstancePainter.paint(image, drawn);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.WHITE);
        g.drawString(masks.getCameraId() + " frame " + masks.getFrameSeq() + "  " + masks.getModelId(), 8,
                image.getHeight() - 8);
        g.dispose();
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
