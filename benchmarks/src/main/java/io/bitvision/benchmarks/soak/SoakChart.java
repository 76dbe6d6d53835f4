package io.bitvision.benchmarks.soak;

import io.bitvision.benchmarks.live.Charts;
import io.bitvision.benchmarks.live.MemorySampler;
import io.bitvision.benchmarks.live.Charts.Mark;
import io.bitvision.benchmarks.live.Charts.Panel;
import io.bitvision.benchmarks.live.Charts.Series;
import io.bitvision.testkit.report.JsonReports;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The soak run as a picture ({@link Charts}): RSS; heap used, heap after a full GC, non-heap, NMT's committed
 * non-heap memory; frames processed per second, against time in minutes. The warm-up is shaded; the first- and
 * last-quarter medians that the growth compares are drawn as short bars on the RSS and heap-after-GC series. Each
 * panel's y axis spans at least twice the bound, so noise does not look like growth.
 */
final class SoakChart {
    private SoakChart() {}

    static void write(Path png, List<MemorySampler.Sample> samples, double warmupSeconds,
                      Map<String, MemoryGrowth> growth, SoakRun.Options options, double cameraFps) throws IOException {
        double[] minutes = samples.stream().mapToDouble(s -> s.t() / 60).toArray();
        double xMax = Math.max(options.minutes(), minutes.length == 0 ? 1 : minutes[minutes.length - 1]);
        double warmupMin = warmupSeconds / 60;
        List<double[]> warmup = List.<double[]>of(new double[] {0, Math.min(warmupMin, xMax)});
        MemoryGrowth rss = growth.get("rss_mib");
        MemoryGrowth heap = growth.get("heap_after_gc_mib");
        boolean pass = rss.within(options.rssBoundMib()) && heap.within(options.heapBoundMib());

        double[] rssMib = SoakRun.column(samples, MemorySampler.Sample::rss);
        Panel process = new Panel("MiB (process)", List.of(
                new Series("RSS", new Color(0xC0392B), minutes, rssMib, false, 2.2f),
                new Series("RSS anon", new Color(0xE59866), minutes,
                        SoakRun.column(samples, MemorySampler.Sample::rssAnon), false, 1.2f)),
                2 * options.rssBoundMib(), warmup, "warm-up", quarterMarks(rss, rssMib, minutes, warmupMin));

        double[] afterGc = SoakRun.column(samples, MemorySampler.Sample::heapAfterGc);
        List<Series> jvm = new ArrayList<>(List.of(
                new Series("heap used", new Color(0x85C1E9), minutes,
                        SoakRun.column(samples, MemorySampler.Sample::heapUsed), false, 1.0f),
                new Series("heap after full GC", new Color(0x1A5276), minutes, afterGc, true, 2.2f),
                new Series("non-heap used", new Color(0x148F77), minutes,
                        SoakRun.column(samples, MemorySampler.Sample::nonHeapUsed), false, 1.2f)));
        double[] nmt = SoakRun.column(samples, s -> s.nmtCommitted() - s.nmtHeapCommitted());
        if (Arrays.stream(nmt).anyMatch(Double::isFinite)) {
            jvm.add(new Series("NMT non-heap committed", new Color(0x7D3C98), minutes, nmt, false, 1.2f));
        }
        Panel memory = new Panel("MiB (JVM)", jvm, 2 * options.heapBoundMib(), warmup, "warm-up",
                quarterMarks(heap, afterGc, minutes, warmupMin));

        double[] target = new double[minutes.length];
        Arrays.fill(target, options.cameras() * cameraFps);
        Panel rate = new Panel("frames/s", List.of(
                new Series("processed fps (all cameras)", new Color(0x1E8449), minutes,
                        SoakRun.column(samples, MemorySampler.Sample::fps), true, 1.8f),
                new Series("cameras x camera fps", Color.GRAY, minutes, target, false, 1.0f)),
                options.cameras() * cameraFps * 1.2, warmup, "warm-up", List.of());

        Charts.write(png, String.format(Locale.ROOT, "bitvision soak: %d replay cameras at %s fps, one slot, "
                        + "in-process broker, %.1f min", options.cameras(), JsonReports.number(cameraFps), xMax),
                String.format(Locale.ROOT, "growth after %.0f s warm-up (median of last 25%% - median of first 25%%, "
                                + "black bars): RSS %.1f MiB (bound %s), heap after full GC %.1f MiB (bound %s): %s",
                        warmupSeconds, rss.growth(), JsonReports.number(options.rssBoundMib()), heap.growth(),
                        JsonReports.number(options.heapBoundMib()), pass ? "within bounds" : "BOUND EXCEEDED"),
                "minutes since the job was submitted", List.of(process, memory, rate));
    }

    /** The quarters the growth compares: their time spans (after the warm-up), at their medians. */
    static List<Mark> quarterMarks(MemoryGrowth growth, double[] values, double[] minutes, double warmupMin) {
        if (growth == null || growth.quarter() <= 0) {
            return List.of();
        }
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (minutes[i] >= warmupMin && Double.isFinite(values[i])) {
                times.add(minutes[i]);
            }
        }
        int q = growth.quarter();
        if (times.size() < q) {
            return List.of();
        }
        return List.of(new Mark(times.get(0), times.get(q - 1), growth.firstMedian()),
                new Mark(times.get(times.size() - q), times.getLast(), growth.lastMedian()));
    }
}
