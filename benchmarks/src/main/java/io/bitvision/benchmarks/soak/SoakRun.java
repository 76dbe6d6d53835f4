package io.bitvision.benchmarks.soak;

import io.bitvision.benchmarks.live.LiveJob;
import io.bitvision.benchmarks.live.LiveWatcher;
import io.bitvision.benchmarks.live.Machine;
import io.bitvision.benchmarks.live.MemorySampler;
import io.bitvision.benchmarks.live.Pacing;
import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.testkit.report.JsonReports;
import io.bitvision.operators.inference.DarkRegionsModel;
import io.bitvision.operators.inference.ModelClasses;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.flink.api.common.JobStatus;

/**
 * {@code ./bitvision soak --minutes N [--cameras K]}: the job ({@link LiveJob}: one slot, local MiniCluster,
 * in-process broker) with K {@code replay:} cameras that loop the sample video forever at its frame rate, for N
 * minutes, with this JVM's memory sampled every {@code --sample-s} (10) seconds ({@link MemorySampler}: RSS, heap
 * used and committed, non-heap, direct buffers, JavaCPP's native bytes, NMT's committed total when the JVM runs with
 * {@code -XX:NativeMemoryTracking=summary}, threads, GC counts) and, every {@code --gc-every-s} (30) seconds, the heap
 * left after a full collection ({@code System.gc()}), which is what the job holds on to.
 *
 * <p>Growth ({@link MemoryGrowth}): median of the last quarter of the samples minus the median of the first quarter,
 * after a warm-up ({@code --warmup-s}, default 120 s, at most a quarter of the run). Bounds: RSS growth at most
 * {@code --rss-bound-mib} (64) and heap-after-GC growth at most {@code --heap-bound-mib} (32). Exit status 1 when a
 * bound is exceeded, a growth could not be measured, the job stopped, a record was duplicated, or the last quarter
 * of the run committed nothing. Writes {@code bench-results/soak.json} (samples, counts, growth, verdict) and
 * {@code bench-results/soak.png} (RSS, heap and throughput over time).
 */
public final class SoakRun {
    private SoakRun() {}

    public record Options(double minutes, int cameras, Path video, Path model, Path out, Path png, int sampleSeconds,
                   int gcEverySeconds, double warmupSeconds, long checkpointMs, double rssBoundMib,
                   double heapBoundMib) {}

    /**
     * Latencies in ms of a long run in constant memory: HdrHistogram's {@link Recorder} takes values from the watcher
     * thread without locks; each sample drains the interval since the previous one into the whole-run histogram.
     */
    static final class Latencies {
        private static final long MAX_MS = 3_600_000;
        private final Recorder recorder = new Recorder(MAX_MS, 3);
        private final Histogram run = new Histogram(MAX_MS, 3);
        private Histogram interval;

        void record(long ms) {
            recorder.recordValue(Math.max(0, Math.min(MAX_MS, ms)));
        }

        /** p50 and p95 of the values since the previous call (NaN when none); they join the whole run. */
        synchronized double[] drainInterval() {
            interval = recorder.getIntervalHistogram(interval);
            run.add(interval);
            return new double[] {percentile(interval, 50), percentile(interval, 95)};
        }

        /** Percentile of the whole run (drained intervals and what came since), NaN when empty. */
        synchronized double percentile(double p) {
            drainInterval();
            return percentile(run, p);
        }

        private static double percentile(Histogram h, double p) {
            return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p);
        }
    }

    public static int run(Options options) throws Exception {
        Model model = options.model() != null ? ModelReader.read(options.model()) : DarkRegionsModel.build(576, 768, 70);
        String className = options.model() != null ? ModelClasses.name(model, 0, "person") : "dark-region";
        double cameraFps = io.bitvision.testkit.clips.VideoClip.frameRate(options.video());
        MemorySampler memory = new MemorySampler();
        long runMs = Math.round(options.minutes() * 60_000);
        System.out.printf(Locale.ROOT, "bitvision soak: %.1f min, %d replay cameras of %s (%.2f fps, looped), model %s, "
                        + "one slot, in-process broker; samples every %d s, heap after full GC every %d s, warm-up %.0f s; "
                        + "NMT %s%n%s%n", options.minutes(), options.cameras(), options.video(), cameraFps,
                model.name(), options.sampleSeconds(), options.gcEverySeconds(), options.warmupSeconds(),
                memory.nativeMemoryTracking() ? "on" : "off (run with -XX:NativeMemoryTracking=summary for it)",
                Machine.describe());

        List<MemorySampler.Sample> samples = new ArrayList<>();
        Latencies latency = new Latencies();
        Latencies appendLatency = new Latencies();
        Map<String, LiveWatcher.CameraTotals> totals;
        String endState;
        Throwable failure = null;
        long startMs;
        long endMs;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            startMs = System.currentTimeMillis();
            try (LiveJob job = LiveJob.start(broker, "soak", options.video(), options.cameras(), model, className,
                    Duration.ofMillis(options.checkpointMs()));
                 LiveWatcher watcher = new LiveWatcher(broker.bootstrapServers(), job.topics.masks(), 1, o -> {
                     latency.record(o.visibleMs() - o.ingestMs());
                     if (o.appendMs() >= 0) {
                         appendLatency.record(o.appendMs() - o.ingestMs());
                     }
                 })) {
                long nextGcMs = startMs + options.gcEverySeconds() * 1000L;
                long previousRecords = 0;
                double previousT = 0;
                JobStatus status = JobStatus.RUNNING;
                for (long due = startMs + options.sampleSeconds() * 1000L; due <= startMs + runMs;
                     due += options.sampleSeconds() * 1000L) {
                    Pacing.sleepUntil(due);
                    double t = (System.currentTimeMillis() - startMs) / 1e3;
                    boolean gc = System.currentTimeMillis() >= nextGcMs - 500;
                    if (gc) {
                        nextGcMs += options.gcEverySeconds() * 1000L;
                    }
                    Map<String, LiveWatcher.CameraTotals> now = watcher.totals();
                    long records = now.values().stream().mapToLong(c -> c.records()).sum();
                    long dropped = now.values().stream().mapToLong(c -> c.framesDropped()).sum();
                    double[] lat = latency.drainInterval();
                    MemorySampler.Sample s = memory.sample(t, gc, records, dropped,
                            (records - previousRecords) / (t - previousT), lat[0], lat[1]);
                    previousRecords = records;
                    previousT = t;
                    samples.add(s);
                    System.out.printf(Locale.ROOT, "  %6.0f s: rss %6.1f MiB, heap %6.1f MiB%s, nmt %s, threads %d, "
                                    + "%d records (%.1f fps, %d dropped), latency p50 %s ms%n", t, s.rss(), s.heapUsed(),
                            gc ? String.format(Locale.ROOT, " (after full GC %.1f)", s.heapAfterGc()) : "",
                            JsonReports.number(s.nmtCommitted()), s.threads(), records, s.fps(), dropped, JsonReports.number(s.latencyP50()));
                    status = job.status();
                    if (status != JobStatus.RUNNING || watcher.failure() != null) {
                        break;
                    }
                }
                endState = watcher.failure() != null ? "watcher failed: " + watcher.failure() : status.name();
                if (status != JobStatus.RUNNING) {
                    failure = job.failure();
                }
                totals = watcher.totals();
                endMs = System.currentTimeMillis();
            }
        }

        double[] t = column(samples, MemorySampler.Sample::t);
        Map<String, MemoryGrowth> growth = new LinkedHashMap<>();
        growth.put("rss_mib", MemoryGrowth.of(t, column(samples, MemorySampler.Sample::rss), options.warmupSeconds()));
        growth.put("heap_after_gc_mib", MemoryGrowth.of(t, column(samples, MemorySampler.Sample::heapAfterGc),
                options.warmupSeconds()));
        growth.put("rss_anon_mib", MemoryGrowth.of(t, column(samples, MemorySampler.Sample::rssAnon), options.warmupSeconds()));
        growth.put("heap_used_mib", MemoryGrowth.of(t, column(samples, MemorySampler.Sample::heapUsed), options.warmupSeconds()));
        growth.put("non_heap_used_mib", MemoryGrowth.of(t, column(samples, MemorySampler.Sample::nonHeapUsed),
                options.warmupSeconds()));
        growth.put("direct_buffers_mib", MemoryGrowth.of(t, column(samples, MemorySampler.Sample::direct), options.warmupSeconds()));
        growth.put("javacpp_native_mib", MemoryGrowth.of(t, column(samples, MemorySampler.Sample::javacpp), options.warmupSeconds()));
        growth.put("nmt_committed_mib", MemoryGrowth.of(t, column(samples, MemorySampler.Sample::nmtCommitted),
                options.warmupSeconds()));
        growth.put("nmt_non_heap_committed_mib", MemoryGrowth.of(t, column(samples, s -> s.nmtCommitted() - s.nmtHeapCommitted()),
                options.warmupSeconds()));
        growth.put("threads", MemoryGrowth.of(t, column(samples, s -> s.threads()), options.warmupSeconds()));

        long records = totals.values().stream().mapToLong(c -> c.records()).sum();
        long dropped = totals.values().stream().mapToLong(c -> c.framesDropped()).sum();
        long duplicates = totals.values().stream().mapToLong(c -> c.duplicates()).sum();
        long unexplained = totals.values().stream().mapToLong(c -> c.unexplainedGaps()).sum();
        double lastQuarterFps = lastQuarterMean(samples, MemorySampler.Sample::fps);
        double runSeconds = (endMs - startMs) / 1e3;

        List<String> problems = new ArrayList<>();
        if (!growth.get("rss_mib").within(options.rssBoundMib())) {
            problems.add(String.format(Locale.ROOT, "RSS grew %s MiB (bound %s)", JsonReports.number(growth.get("rss_mib").growth()),
                    JsonReports.number(options.rssBoundMib())));
        }
        if (!growth.get("heap_after_gc_mib").within(options.heapBoundMib())) {
            problems.add(String.format(Locale.ROOT, "heap after full GC grew %s MiB (bound %s)",
                    JsonReports.number(growth.get("heap_after_gc_mib").growth()), JsonReports.number(options.heapBoundMib())));
        }
        if (!endState.equals(JobStatus.RUNNING.name())) {
            problems.add("the job ended early: " + endState + (failure != null ? " (" + failure + ")" : ""));
        }
        if (duplicates > 0) {
            problems.add(duplicates + " duplicate records");
        }
        if (!(lastQuarterFps > 0)) {
            problems.add("nothing committed in the last quarter of the run");
        }
        boolean pass = problems.isEmpty();

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("what", "soak: the job with live (replayed, looping) cameras for a fixed time, this JVM's memory sampled");
        json.put("setup", "one slot (local MiniCluster, parallelism 1) on this " + Runtime.getRuntime().availableProcessors()
                + "-core machine, the Kafka broker in-process in the same JVM (its memory counts in the RSS), "
                + options.cameras() + " replay: cameras looping " + options.video().getFileName() + " at "
                + JsonReports.number(cameraFps) + " fps");
        json.put("machine", Machine.describe());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("jvm", Runtime.version().toString());
        json.put("jvm_flags", ManagementFactoryArgs.get());
        json.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
        json.put("native_memory_tracking", memory.nativeMemoryTracking());
        json.put("started", Instant.ofEpochMilli(startMs).toString());
        json.put("minutes_requested", options.minutes());
        json.put("run_s", runSeconds);
        json.put("cameras", options.cameras());
        json.put("camera_fps", cameraFps);
        json.put("model", model.name() + " v" + model.version());
        json.put("checkpoint_ms", options.checkpointMs());
        json.put("sample_s", options.sampleSeconds());
        json.put("gc_every_s", options.gcEverySeconds());
        json.put("warmup_s", options.warmupSeconds());
        json.put("growth_definition", "median of the last 25% of the samples after the warm-up minus the median of the "
                + "first 25% after the warm-up");
        json.put("bounds_mib", Map.of("rss", options.rssBoundMib(), "heap_after_gc", options.heapBoundMib()));
        Map<String, Object> growthJson = new LinkedHashMap<>();
        growth.forEach((name, g) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("growth", g.growth());
            m.put("first_quarter_median", g.firstMedian());
            m.put("last_quarter_median", g.lastMedian());
            m.put("samples_after_warmup", g.samples());
            m.put("samples_per_quarter", g.quarter());
            growthJson.put(name, m);
        });
        json.put("growth", growthJson);
        json.put("frames_processed", records);
        json.put("records_committed", records);
        json.put("frames_dropped", dropped);
        json.put("duplicates", duplicates);
        json.put("gaps_not_explained_by_drops", unexplained);
        json.put("processed_fps_mean", records / runSeconds);
        json.put("processed_fps_last_quarter", lastQuarterFps);
        json.put("latency_ms_p50", latency.percentile(50));
        json.put("latency_ms_p95", latency.percentile(95));
        json.put("append_latency_ms_p50", appendLatency.percentile(50));
        json.put("append_latency_ms_p95", appendLatency.percentile(95));
        Map<String, Object> perCamera = new LinkedHashMap<>();
        totals.forEach((camera, c) -> perCamera.put(camera, Map.of("records", c.records(), "frames_dropped", c.framesDropped(),
                "duplicates", c.duplicates())));
        json.put("per_camera", perCamera);
        json.put("job_state_at_end", endState);
        json.put("pass", pass);
        json.put("problems", problems);
        json.put("samples", samplesJson(samples));
        if (options.out().getParent() != null) {
            Files.createDirectories(options.out().getParent());
        }
        Files.writeString(options.out(), JsonReports.write(json));
        SoakChart.write(options.png(), samples, options.warmupSeconds(), growth, options, cameraFps);

        System.out.println();
        System.out.printf(Locale.ROOT, "soak %.1f min, %d cameras: %d frames processed (%.2f fps, last quarter %.2f), %d dropped, "
                        + "%d duplicates; latency p50/p95 %s/%s ms%n", runSeconds / 60, options.cameras(), records,
                records / runSeconds, lastQuarterFps, dropped, duplicates, JsonReports.number(latency.percentile(50)),
                JsonReports.number(latency.percentile(95)));
        growth.forEach((name, g) -> System.out.printf(Locale.ROOT, "  growth %-20s %10s  (first quarter %s, last quarter %s, %d samples)%n",
                name, JsonReports.number(g.growth()), JsonReports.number(g.firstMedian()), JsonReports.number(g.lastMedian()), g.samples()));
        System.out.println(pass ? "PASS: RSS growth <= " + JsonReports.number(options.rssBoundMib()) + " MiB, heap-after-GC growth <= "
                + JsonReports.number(options.heapBoundMib()) + " MiB" : "FAIL: " + String.join("; ", problems));
        System.out.println("wrote " + options.out() + " and " + options.png());
        return pass ? 0 : 1;
    }

    static double[] column(List<MemorySampler.Sample> samples, ToDoubleFunction<MemorySampler.Sample> f) {
        return samples.stream().mapToDouble(f).toArray();
    }

    private static double lastQuarterMean(List<MemorySampler.Sample> samples, ToDoubleFunction<MemorySampler.Sample> f) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        int quarter = Math.max(1, samples.size() / 4);
        return samples.subList(samples.size() - quarter, samples.size()).stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static List<Map<String, Object>> samplesJson(List<MemorySampler.Sample> samples) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MemorySampler.Sample s : samples) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t_s", s.t());
            m.put("rss_mib", s.rss());
            m.put("rss_anon_mib", s.rssAnon());
            m.put("rss_file_mib", s.rssFile());
            m.put("heap_used_mib", s.heapUsed());
            m.put("heap_committed_mib", s.heapCommitted());
            m.put("heap_after_gc_mib", s.heapAfterGc());
            m.put("non_heap_used_mib", s.nonHeapUsed());
            m.put("direct_buffers_mib", s.direct());
            m.put("javacpp_native_mib", s.javacpp());
            m.put("nmt_committed_mib", s.nmtCommitted());
            m.put("nmt_heap_committed_mib", s.nmtHeapCommitted());
            m.put("nmt_non_heap_committed_mib", s.nmtCommitted() - s.nmtHeapCommitted());
            m.put("threads", s.threads());
            m.put("young_gcs", s.youngGcs());
            m.put("full_gcs", s.fullGcs());
            m.put("gc_s", s.gcSeconds());
            m.put("cpu_s", s.cpuSeconds());
            m.put("records", s.records());
            m.put("frames_dropped", s.framesDropped());
            m.put("fps", s.fps());
            m.put("latency_ms_p50", s.latencyP50());
            m.put("latency_ms_p95", s.latencyP95());
            out.add(m);
        }
        return out;
    }

    /** The JVM's own flags (heap, GC, NMT), for the report. */
    private static final class ManagementFactoryArgs {
        static List<String> get() {
            return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(a -> a.startsWith("-X") || a.startsWith("--add-modules")).toList();
        }
    }
}
