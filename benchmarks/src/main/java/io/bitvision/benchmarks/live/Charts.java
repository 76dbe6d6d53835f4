package io.bitvision.benchmarks.live;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The benches' pictures, drawn by JFreeChart: panels stacked over one shared x axis, each with its lines, shaded
 * x ranges (warm-up, outages) and short marks (the quarter medians a growth compares). Headless; writes a PNG.
 */
public final class Charts {
    public static final int WIDTH = 1200;
    public static final int PANEL_HEIGHT = 260;

    /** A line in a panel; non-finite y values are gaps. */
    public record Series(String name, Color color, double[] x, double[] y, boolean points, float width) {}

    /** A horizontal mark from x0 to x1 at y. */
    public record Mark(double x0, double x1, double y) {}

    /**
     * One panel.
     *
     * @param minSpan the y axis spans at least this much (so noise does not look like a trend); 0 for auto
     * @param shaded  [from, to) x ranges to shade, with {@code shadeLabel} on the first
     */
    public record Panel(String yLabel, List<Series> series, double minSpan, List<double[]> shaded, String shadeLabel,
                 List<Mark> marks) {}

    private Charts() {}

    /** The panels stacked over {@code xLabel}, {@code title} and {@code subtitle} on top, as a PNG of fixed width. */
    public static void write(Path png, String title, String subtitle, String xLabel, List<Panel> panels) throws IOException {
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(true);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(x);
        plot.setGap(16);
        for (Panel panel : panels) {
            plot.add(plot(panel), 1);
        }
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 13)));
        chart.setBackgroundPaint(Color.WHITE);
        if (png.getParent() != null) {
            Files.createDirectories(png.getParent());
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, 90 + panels.size() * PANEL_HEIGHT);
    }

    private static XYPlot plot(Panel panel) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < panel.series().size(); i++) {
            Series s = panel.series().get(i);
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (int k = 0; k < s.x().length; k++) {
                boolean finite = Double.isFinite(s.y()[k]);
                xy.add(s.x()[k], finite ? s.y()[k] : null); // null: a gap in the line
                if (finite) {
                    lo = Math.min(lo, s.y()[k]);
                    hi = Math.max(hi, s.y()[k]);
                }
            }
            data.addSeries(xy);
            renderer.setSeriesPaint(i, s.color());
            renderer.setSeriesStroke(i, new BasicStroke(s.width()));
            renderer.setSeriesShapesVisible(i, s.points());
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
        }
        NumberAxis y = new NumberAxis(panel.yLabel());
        y.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        if (Double.isFinite(lo)) {
            double span = Math.max(hi - lo, panel.minSpan());
            double mid = (hi + lo) / 2;
            double pad = span * 0.05 + (span == 0 ? 1 : 0);
            y.setRange(Math.max(0, mid - span / 2 - pad), mid + span / 2 + pad);
        }
        XYPlot plot = new XYPlot(data, null, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xD5D8DC));
        plot.setRangeGridlinePaint(new Color(0xD5D8DC));
        boolean first = true;
        for (double[] range : panel.shaded()) {
            IntervalMarker shade = new IntervalMarker(range[0], range[1], new Color(0xF2, 0xD7, 0xC4, 110));
            if (first && panel.shadeLabel() != null) {
                shade.setLabel(panel.shadeLabel());
                shade.setLabelAnchor(RectangleAnchor.TOP_LEFT);
                shade.setLabelTextAnchor(TextAnchor.TOP_LEFT);
                first = false;
            }
            plot.addDomainMarker(shade, Layer.BACKGROUND);
        }
        for (Mark mark : panel.marks()) {
            plot.addAnnotation(new XYLineAnnotation(mark.x0(), mark.y(), mark.x1(), mark.y(), new BasicStroke(3f),
                    Color.BLACK));
        }
        return plot;
    }
}
