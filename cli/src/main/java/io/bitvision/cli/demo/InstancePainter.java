package io.bitvision.cli.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws instances onto a frame for a person to look at: each mask tinted in the instance's colour, its box,
 * and a label above the box. Shared by the demo's overlay (track ids) and {@code infer}'s overlay (scores).
 */
public final class InstancePainter {
    /**
     * One instance to draw.
     *
     * @param rleCounts COCO run lengths of the full-frame mask (column-major, starting with background)
     * @param box       {x, y, width, height} in pixels
     */
    public record Drawn(int[] rleCounts, float[] box, String label, Color colour) {}

    private InstancePainter() {}

    public static void paint(BufferedImage image, List<Drawn> instances) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setStroke(new BasicStroke(2f));
        for (Drawn instance : instances) {
            tint(image, instance.rleCounts(), instance.colour());
            float[] box = instance.box();
            int x = Math.round(box[0]);
            int y = Math.round(box[1]);
            g.setColor(instance.colour());
            g.drawRect(x, y, Math.round(box[2]), Math.round(box[3]));
            g.drawString(instance.label(), x + 2, Math.max(14, y - 3));
        }
        g.dispose();
    }

    /** A colour per key, well apart for consecutive keys (golden-ratio hues). */
    public static Color colour(long key) {
        float hue = (float) ((key * 0.618033988749895) % 1.0);
        return Color.getHSBColor(hue, 0.9f, 1f);
    }

    /** Blends {@code colour} into the mask's pixels, walking the column-major runs without decoding a mask. */
    private static void tint(BufferedImage image, int[] counts, Color colour) {
        int height = image.getHeight();
        long frame = (long) height * image.getWidth();
        long start = 0;
        for (int run = 0; run < counts.length; run++) {
            long end = Math.min(frame, start + counts[run]);
            if (run % 2 == 1) {
                for (long i = start; i < end; i++) {
                    int x = (int) (i / height);
                    int y = (int) (i % height);
                    image.setRGB(x, y, blend(image.getRGB(x, y), colour));
                }
            }
            start = end;
        }
    }

    private static int blend(int rgb, Color colour) {
        int r = (((rgb >> 16) & 0xFF) * 55 + colour.getRed() * 45) / 100;
        int g = (((rgb >> 8) & 0xFF) * 55 + colour.getGreen() * 45) / 100;
        int b = ((rgb & 0xFF) * 55 + colour.getBlue() * 45) / 100;
        return (r << 16) | (g << 8) | b;
    }
}
