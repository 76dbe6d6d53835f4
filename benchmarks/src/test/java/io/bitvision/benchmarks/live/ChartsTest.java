package io.bitvision.benchmarks.live;

import io.bitvision.benchmarks.live.Charts.Mark;
import io.bitvision.benchmarks.live.Charts.Panel;
import io.bitvision.benchmarks.live.Charts.Series;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Charts stack their panels with lines, shades and marks. */
class ChartsTest {
    @Test
    void panelsAreStackedWithTheirLinesShadesAndMarks(@TempDir Path dir) throws Exception {
        double[] x = {0, 1, 2, 3, 4};
        Color red = new Color(0xC0392B);
        Panel lines = new Panel("MiB", List.of(new Series("rss", red, x, new double[] {10, 11, Double.NaN, 12, 12},
                true, 3f)), 20, List.<double[]>of(new double[] {0, 1}), "warm-up", List.of(new Mark(1, 3, 11.5)));
        Panel empty = new Panel("fps", List.of(new Series("none", Color.GRAY, x, new double[5], false, 1f)), 0,
                List.of(), null, List.of());
        Path png = dir.resolve("chart.png");
        Charts.write(png, "title", "subtitle", "minutes", List.of(lines, empty));

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
        assertThat(image.getHeight()).isEqualTo(90 + 2 * Charts.PANEL_HEIGHT);
        int redPixels = 0;
        for (int py = 0; py < image.getHeight(); py++) {
            for (int px = 0; px < image.getWidth(); px++) {
                if ((image.getRGB(px, py) & 0xFFFFFF) == red.getRGB() - 0xFF000000) {
                    redPixels++;
                }
            }
        }
        assertThat(redPixels).as("the series is drawn in its colour").isGreaterThan(100);
    }
}
