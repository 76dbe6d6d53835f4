package io.bitvision.benchmarks.faults;

import io.bitvision.benchmarks.live.Charts;
import io.bitvision.benchmarks.live.LiveWatcher;
import io.bitvision.benchmarks.live.Charts.Panel;
import io.bitvision.benchmarks.live.Charts.Series;
import io.bitvision.testkit.report.JsonReports;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    static void write(Path png, List<Timeline> runs, double cameraFps, String subtitle) throws IOException {
        List<Panel> panels = new ArrayList<>();
        for (Timeline run : runs) {
            double xMax = run.framesPerSecond().values().stream().mapToInt(a -> a.length).max().orElse(1);
            List<Series> series = new ArrayList<>();
            // The rate line first, so that a camera exactly at the rate is drawn over it.
            series.add(new Series("camera rate " + JsonReports.number(cameraFps) + " fps", Color.GRAY,
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
                series.add(new Series(run.title() + ": " + e.getKey() + (returning ? " (returning)" : ""), color, x,
                        y, false, returning ? 1.4f : 2.0f));
            }
            panels.add(new Panel(run.title() + " (frames/s)", series, cameraFps * 1.6, run.outages(), "unplugged",
                    List.of()));
        }
        Charts.write(png, "bitvision bench faults: frames processed per second per camera",
                subtitle + "; shaded: the returning camera unplugged", "seconds into the measured window", panels);
    }
}
