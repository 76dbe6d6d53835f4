package io.bitvision.cli.eval;

import java.awt.BasicStroke;
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
import javax.imageio.ImageIO;

/**
 * A contact sheet of the labelled frames for checking by eye: labelled people in green (optional ones thin), ignore
 * regions in grey, our hits in blue, our false alarms in red, labelled people we missed in orange.
 */
public final class EvalSheet {
    private static final int CELL_WIDTH = 480;
    private static final int COLUMNS = 3;
    private static final Color LABEL = new Color(40, 220, 40);
    private static final Color IGNORE = new Color(160, 160, 160);
    private static final Color HIT = new Color(40, 120, 255);
    private static final Color FALSE_ALARM = new Color(255, 40, 40);
    private static final Color MISSED = new Color(255, 150, 0);

    private final List<BufferedImage> cells = new ArrayList<>();

    /** Draws one frame (RGB bytes) with its labels and our detections' outcomes. */
    public void add(byte[] rgb, int height, int width, SceneLabels.Frame labels, int minHeight,
                    List<BoxMatcher.Detection> detections, BoxMatcher.FrameResult result) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int at = (y * width + x) * 3;
                row[x] = (rgb[at] & 0xff) << 16 | (rgb[at + 1] & 0xff) << 8 | rgb[at + 2] & 0xff;
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        float line = Math.max(1.5f, width / 320f);
        for (float[] r : labels.ignore()) {
            g.setColor(new Color(160, 160, 160, 90));
            g.fillRect(Math.round(r[0]), Math.round(r[1]), Math.round(r[2]), Math.round(r[3]));
            draw(g, r, IGNORE, line);
        }
        for (float[] b : labels.boxes()) {
            draw(g, b, LABEL, b[3] >= minHeight ? line * 2 : line * 0.7f);
        }
        for (int i = 0; i < detections.size(); i++) {
            BoxMatcher.Outcome outcome = result.outcomes().get(i);
            Color colour = switch (outcome) {
                case HIT -> HIT;
                case FALSE_ALARM -> FALSE_ALARM;
                case NOT_COUNTED -> IGNORE;
            };
            draw(g, detections.get(i).box(), colour, line);
        }
        for (float[] m : result.missed()) {
            draw(g, m, MISSED, line * 2.5f);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, width / 40)));
        g.setColor(Color.WHITE);
        g.drawString("frame " + labels.frame() + ": " + result.hits() + "/" + result.required() + " found, "
                + result.falseAlarms() + " false", 6, height - 8);
        g.dispose();
        cells.add(image);
    }

    public void write(Path file) throws IOException {
        if (cells.isEmpty()) {
            return;
        }
        BufferedImage first = cells.getFirst();
        int cellHeight = Math.round(CELL_WIDTH * (float) first.getHeight() / first.getWidth());
        int rows = (cells.size() + COLUMNS - 1) / COLUMNS;
        BufferedImage sheet = new BufferedImage(Math.min(COLUMNS, cells.size()) * CELL_WIDTH, rows * cellHeight,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        for (int i = 0; i < cells.size(); i++) {
            g.drawImage(cells.get(i), (i % COLUMNS) * CELL_WIDTH, (i / COLUMNS) * cellHeight, CELL_WIDTH, cellHeight, null);
        }
        g.dispose();
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        ImageIO.write(sheet, "png", file.toFile());
    }

    private static void draw(Graphics2D g, float[] box, Color colour, float width) {
        g.setColor(colour);
        g.setStroke(new BasicStroke(width));
        g.drawRect(Math.round(box[0]), Math.round(box[1]), Math.round(box[2]), Math.round(box[3]));
    }
}
