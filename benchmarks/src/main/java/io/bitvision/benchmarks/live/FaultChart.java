package io.bitvision.benchmarks.live;

import static io.bitvision.benchmarks.live.SoakChart.GAP;
import static io.bitvision.benchmarks.live.SoakChart.LEFT;
import static io.bitvision.benchmarks.live.SoakChart.PANEL_HEIGHT;
import static io.bitvision.benchmarks.live.SoakChart.RIGHT;
import static io.bitvision.benchmarks.live.SoakChart.TOP;
import static io.bitvision.benchmarks.live.SoakChart.WIDTH;

import io.bitvision.testkit.report.JsonReports;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * {@code bench faults} as a picture: per run a panel of frames processed per second per camera (committed mask
 * records by the second their frame was read), the returning camera's outages shaded, the camera rate as a grey line.
 */
final class FaultChart {
    private static final Color[] HEALTHY = {new Color(0x1E8449), new Color(0x2874A6), new Color(0x7D3C98),
            new Color(0x117864)};
    private static final Color RETURNING = new Color(0xD35400);

    private FaultChart() {}

    /**
     * One run's measured window.
     *
     * @param framesPerSecond per camera, frames read in each second of the window that were committed
     * @param outages         [from, to) seconds into the window when the returning camera was unplugged
     */
    record Timeline(String title, Map<String, int[]> framesPerSecond, List<double[]> outages) {}

    static Timeline timeline(String title, List<LiveWatcher.Observed> observed, long windowStartMs, int seconds,
                             List<long[]> outagesMs) {
        Map<String, int[]> perSecond = new LinkedHashMap<>();
        observed.stream().map(LiveWatcher.Observed::camera).distinct().sorted()
                .forEach(camera -> perSecond.put(camera, new int[seconds]));
        for (LiveWatcher.Observed o : observed) {
            long second = Math.floorDiv(o.ingestMs() - windowStartMs, 1000);
            if (second >= 0 && second < seconds) {
                perSecond.get(o.camera())[(int) second]++;
            }
        }
        List<double[]> outages = new ArrayList<>();
        for (long[] o : outagesMs) {
            outages.add(new double[] {(o[0] - windowStartMs) / 1e3, (o[1] - windowStartMs) / 1e3});
        }
        return new Timeline(title, perSecond, outages);
    }

    static void write(Path png, List<Timeline> runs, double cameraFps, String subtitle) throws Exception {
        int height = TOP + runs.size() * PANEL_HEIGHT + (runs.size() - 1) * GAP + 50;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("bitvision bench faults: frames processed per second per camera", LEFT, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(subtitle, LEFT, 45);
        int w = WIDTH - LEFT - RIGHT;
        for (int r = 0; r < runs.size(); r++) {
            Timeline run = runs.get(r);
            int top = TOP + r * (PANEL_HEIGHT + GAP);
            double xMax = run.framesPerSecond().values().stream().mapToInt(a -> a.length).max().orElse(1);
            g.setColor(new Color(0xFAE5D3));
            for (double[] o : run.outages()) {
                int x0 = (int) Math.round(LEFT + Math.max(0, o[0]) / xMax * w);
                int x1 = (int) Math.round(LEFT + Math.min(xMax, o[1]) / xMax * w);
                g.fillRect(x0, top, Math.max(1, x1 - x0), PANEL_HEIGHT);
            }
            List<SoakChart.Series> series = new ArrayList<>();
            // The rate line first, so that a camera exactly at the rate is drawn over it.
            series.add(new SoakChart.Series("camera rate " + JsonReports.number(cameraFps) + " fps", Color.GRAY,
                    new double[] {0, xMax}, new double[] {cameraFps, cameraFps}, false, 1.0f));
            int healthy = 0;
            for (Map.Entry<String, int[]> e : run.framesPerSecond().entrySet()) {
                double[] x = new double[e.getValue().length];
                double[] y = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = i + 0.5;
                    y[i] = e.getValue()[i];
                }
                boolean returning = e.getKey().equals("flaky");
                Color color = returning ? RETURNING : HEALTHY[healthy++ % HEALTHY.length];
                series.add(new SoakChart.Series(e.getKey() + (returning ? " (returning)" : ""), color, x, y, false,
                        returning ? 1.4f : 2.0f));
            }
            SoakChart.panel(g, top, run.title() + " (frames/s; shaded: returning camera unplugged)", series, xMax, 0,
                    cameraFps * 1.6, null, null, null);
        }
        g.setColor(Color.BLACK);
        g.drawString("seconds into the measured window", LEFT + w / 2 - 100, height - 12);
        g.dispose();
        if (png.getParent() != null) {
            Files.createDirectories(png.getParent());
        }
        ImageIO.write(image, "png", png.toFile());
    }
}
