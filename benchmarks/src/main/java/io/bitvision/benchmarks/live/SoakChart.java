package io.bitvision.benchmarks.live;

import io.bitvision.testkit.report.JsonReports;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The soak run as a picture (java.awt, headless): RSS; heap used, heap after a full GC, non-heap, NMT's committed
 * non-heap memory; frames processed per second, against time in minutes. The warm-up is shaded; the first- and last-quarter
 * medians that the growth compares are drawn as short bars on the RSS and heap-after-GC series. Each panel's
 * y-axis spans at least twice the bound, so noise does not look like growth.
 */
final class SoakChart {
    static final int WIDTH = 1200;
    static final int PANEL_HEIGHT = 260;
    static final int LEFT = 80;
    static final int RIGHT = 200;
    static final int TOP = 60;
    static final int GAP = 40;

    /** A line (and points) in a panel; also used by {@link FaultChart}. */
    record Series(String name, Color color, double[] x, double[] y, boolean points, float width) {}

    private SoakChart() {}

    static void write(Path png, List<MemorySampler.Sample> samples, double warmupSeconds,
                      Map<String, MemoryGrowth> growth, SoakRun.Options options, double cameraFps) throws Exception {
        int height = TOP + 3 * PANEL_HEIGHT + 2 * GAP + 50;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);

        double[] minutes = samples.stream().mapToDouble(s -> s.t() / 60).toArray();
        double xMax = Math.max(options.minutes(), minutes.length == 0 ? 1 : minutes[minutes.length - 1]);
        MemoryGrowth rss = growth.get("rss_mib");
        MemoryGrowth heap = growth.get("heap_after_gc_mib");
        boolean pass = rss.within(options.rssBoundMib()) && heap.within(options.heapBoundMib());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(String.format(Locale.ROOT, "bitvision soak: %d replay cameras at %s fps, one slot, in-process broker, %.1f min",
                options.cameras(), JsonReports.number(cameraFps), xMax), LEFT, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(String.format(Locale.ROOT, "growth after %.0f s warm-up (median of last 25%% - median of first 25%%): RSS %.1f MiB "
                        + "(bound %s), heap after full GC %.1f MiB (bound %s): %s", warmupSeconds, rss.growth(),
                JsonReports.number(options.rssBoundMib()), heap.growth(), JsonReports.number(options.heapBoundMib()),
                pass ? "within bounds" : "BOUND EXCEEDED"), LEFT, 45);

        List<Series> memory = new ArrayList<>();
        memory.add(new Series("RSS", new Color(0xC0392B), minutes, SoakRun.column(samples, MemorySampler.Sample::rss), false, 2.2f));
        memory.add(new Series("RSS anon", new Color(0xE59866), minutes, SoakRun.column(samples, MemorySampler.Sample::rssAnon), false, 1.2f));
        int y0 = TOP;
        panel(g, y0, "MiB (process)", memory, xMax, warmupSeconds / 60, 2 * options.rssBoundMib(), rss, memory.get(0).y(), minutes);

        List<Series> heapSeries = new ArrayList<>();
        heapSeries.add(new Series("heap used", new Color(0x85C1E9), minutes, SoakRun.column(samples, MemorySampler.Sample::heapUsed), false, 1.0f));
        heapSeries.add(new Series("heap after full GC", new Color(0x1A5276), minutes,
                SoakRun.column(samples, MemorySampler.Sample::heapAfterGc), true, 2.2f));
        heapSeries.add(new Series("non-heap used", new Color(0x148F77), minutes, SoakRun.column(samples, MemorySampler.Sample::nonHeapUsed), false, 1.2f));
        double[] nmt = SoakRun.column(samples, s -> s.nmtCommitted() - s.nmtHeapCommitted());
        if (java.util.Arrays.stream(nmt).anyMatch(Double::isFinite)) {
            heapSeries.add(new Series("NMT non-heap committed", new Color(0x7D3C98), minutes, nmt, false, 1.2f));
        }
        int y1 = TOP + PANEL_HEIGHT + GAP;
        panel(g, y1, "MiB (JVM: heap, non-heap, native memory the JVM tracks)", heapSeries, xMax, warmupSeconds / 60, 2 * options.heapBoundMib(), heap,
                heapSeries.get(1).y(), minutes);

        List<Series> rate = new ArrayList<>();
        rate.add(new Series("processed fps (all cameras)", new Color(0x1E8449), minutes, SoakRun.column(samples, MemorySampler.Sample::fps), true, 1.8f));
        double[] target = new double[minutes.length];
        java.util.Arrays.fill(target, options.cameras() * cameraFps);
        rate.add(new Series("cameras x camera fps", Color.GRAY, minutes, target, false, 1.0f));
        int y2 = TOP + 2 * (PANEL_HEIGHT + GAP);
        panel(g, y2, "frames/s", rate, xMax, warmupSeconds / 60, options.cameras() * cameraFps * 1.2, null, null, minutes);

        g.setColor(Color.BLACK);
        g.drawString("minutes since the job was submitted", LEFT + (WIDTH - LEFT - RIGHT) / 2 - 100, height - 12);
        g.dispose();
        if (png.getParent() != null) {
            Files.createDirectories(png.getParent());
        }
        ImageIO.write(image, "png", png.toFile());
    }

    /**
     * One panel at {@code top}: grid, x ticks from 0 to {@code xMax}, the series and their legend; the x range up to
     * {@code warmupMin} shaded; a y span of at least {@code minSpan}; the growth's quarter medians when given.
     */
    static void panel(Graphics2D g, int top, String yLabel, List<Series> series, double xMax, double warmupMin,
                              double minSpan, MemoryGrowth growth, double[] growthSeries, double[] minutes) {
        int w = WIDTH - LEFT - RIGHT;
        int h = PANEL_HEIGHT;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.y()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!Double.isFinite(lo)) {
            lo = 0;
            hi = 1;
        }
        if (hi - lo < minSpan) {
            double mid = (hi + lo) / 2;
            lo = mid - minSpan / 2;
            hi = mid + minSpan / 2;
        }
        double pad = (hi - lo) * 0.05;
        lo = Math.max(0, lo - pad);
        hi = hi + pad;
        final double yLo = lo;
        final double yHi = hi;
        java.util.function.DoubleUnaryOperator px = x -> LEFT + x / xMax * w;
        java.util.function.DoubleUnaryOperator py = y -> top + h - (y - yLo) / (yHi - yLo) * h;

        g.setColor(new Color(0xF2F3F4));
        g.fillRect(LEFT, top, (int) Math.round(px.applyAsDouble(Math.min(warmupMin, xMax)) - LEFT), h);
        g.setColor(new Color(0xD5D8DC));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 4; i++) {
            double v = yLo + (yHi - yLo) * i / 4;
            int y = (int) Math.round(py.applyAsDouble(v));
            g.setColor(new Color(0xE5E8E8));
            g.drawLine(LEFT, y, LEFT + w, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(JsonReports.number(Math.round(v * 10) / 10.0), 8, y + 4);
        }
        double step = xMax <= 2 ? 0.25 : xMax <= 10 ? 1 : xMax <= 30 ? 2 : 5;
        for (double x = 0; x <= xMax + 1e-9; x += step) {
            int xx = (int) Math.round(px.applyAsDouble(x));
            g.setColor(new Color(0xE5E8E8));
            g.drawLine(xx, top, xx, top + h);
            g.setColor(Color.DARK_GRAY);
            g.drawString(JsonReports.number(x), xx - 6, top + h + 14);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, top, w, h);
        g.drawString(yLabel, LEFT + 4, top - 4);
        if (warmupMin > 0) {
            g.setColor(Color.GRAY);
            g.drawString("warm-up", LEFT + 4, top + 14);
        }

        Stroke old = g.getStroke();
        int legendY = top + 16;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(new BasicStroke(s.width()));
            int prevX = Integer.MIN_VALUE;
            int prevY = 0;
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.y()[i])) {
                    continue;
                }
                int x = (int) Math.round(px.applyAsDouble(s.x()[i]));
                int y = (int) Math.round(py.applyAsDouble(s.y()[i]));
                if (prevX != Integer.MIN_VALUE) {
                    g.drawLine(prevX, prevY, x, y);
                }
                if (s.points()) {
                    g.fillOval(x - 3, y - 3, 6, 6);
                }
                prevX = x;
                prevY = y;
            }
            g.setStroke(new BasicStroke(3f));
            g.drawLine(LEFT + w + 12, legendY - 4, LEFT + w + 32, legendY - 4);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), LEFT + w + 38, legendY);
            legendY += 18;
        }
        if (growth != null && growth.quarter() > 0 && growthSeries != null) {
            // The quarters the growth compares: their time spans, at their medians.
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < growthSeries.length; i++) {
                if (minutes[i] >= warmupMin && Double.isFinite(growthSeries[i])) {
                    times.add(minutes[i]);
                }
            }
            int q = growth.quarter();
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(3f));
            int ya = (int) Math.round(py.applyAsDouble(growth.firstMedian()));
            int yb = (int) Math.round(py.applyAsDouble(growth.lastMedian()));
            g.drawLine((int) px.applyAsDouble(times.get(0)), ya, (int) px.applyAsDouble(times.get(q - 1)) + 2, ya);
            g.drawLine((int) px.applyAsDouble(times.get(times.size() - q)) - 2, yb, (int) px.applyAsDouble(times.get(times.size() - 1)), yb);
            g.setColor(Color.BLACK);
            g.drawString("quarter medians", LEFT + w + 38, legendY);
            g.drawLine(LEFT + w + 12, legendY - 4, LEFT + w + 32, legendY - 4);
        }
        g.setStroke(old);
    }
}
