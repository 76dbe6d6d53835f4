package io.bitvision.benchmarks.scale;

import io.bitvision.benchmarks.live.LiveJob;
import io.bitvision.benchmarks.live.LiveRun;
import io.bitvision.benchmarks.live.LiveWatcher;
import io.bitvision.benchmarks.live.Machine;
import io.bitvision.benchmarks.live.Pacing;
import io.bitvision.benchmarks.live.Percentiles;
import io.bitvision.benchmarks.live.ThreadCpuSampler;
import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.testkit.report.JsonReports;
import io.bitvision.operators.inference.DarkRegionsModel;
import io.bitvision.operators.inference.ModelClasses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.bitvision.localcluster.LocalClusters;
import io.bitvision.localcluster.LocalCluster;
import org.apache.flink.api.common.JobStatus;

/**
 * {@code ./bitvision bench scale}: how many cameras one TaskManager slot keeps up with at the cameras' own frame
 * rate. For N = 1, 2, 3, ... the job ({@link LiveJob}: parallelism 1 on a local MiniCluster, the in-process broker)
 * runs with N {@code replay:} cameras of the sample video, each delivering its frames at the video's frame rate
 * (vtest.avi: 10 fps) and dropping to the latest frame when the job lags, as a live camera does. After a warm-up
 * the run is measured for a fixed window; records count by the time their frame was read (ingest), so startup and
 * the final commit do not dilute the rates.
 *
 * <p>Per N and camera: processed frames per second (committed mask records whose frame was read in the window,
 * divided by the window), frames dropped (the records' {@code frames_dropped}), and the ratio to the camera's
 * rate; per N: capture-to-consumer latency (read_committed, includes the checkpoint wait) and capture-to-append
 * latency (the broker's LogAppendTime) p50/p95, and the JVM's CPU by thread group. N keeps up when every camera's
 * processed rate is at least {@code --keep-up} (0.95) of the camera rate, at most {@code --max-drop} (0.01) of the
 * frames read were dropped, no record was duplicated and the job still runs. The bench stops at the first N that
 * does not keep up; the answer is the largest N before it. Writes {@code bench-results/scale.json}.
 */
public final class ScaleBench {
    private ScaleBench() {}

    /**
     * @param onCluster run on the local standalone cluster ({@code cluster up}) instead of a MiniCluster
     * @param onlooker  what watches the job while it is measured (the console with a browser on it), or null
     */
    public record Options(Path video, Path out, Path model, int fromCameras, int maxCameras, int seconds, int warmupSeconds,
                   long checkpointMs, double keepUp, double maxDrop, boolean onCluster, Onlooker onlooker) {
        public Options(Path video, Path out, Path model, int fromCameras, int maxCameras, int seconds, int warmupSeconds,
                long checkpointMs, double keepUp, double maxDrop) {
            this(video, out, model, fromCameras, maxCameras, seconds, warmupSeconds, checkpointMs, keepUp, maxDrop, false, null);
        }
    }

    /** Previews an onlooker's job publishes, as an operator with the console open would have them. */
    public static final double ONLOOKER_PREVIEW_FPS = 1;

    /**
     * Something that watches each step's job over the broker while it is measured, in this JVM (its threads are in
     * the CPU report): the operators' console with a browser on it. Opened once the job runs, closed after the window.
     */
    public interface Onlooker {
        Watching watch(String bootstrap, io.bitvision.operators.kafka.Topics topics, String previewTopic) throws Exception;
    }

    /** One step's onlooker: what it reports about itself over the step (the browser's CPU, what it read). */
    public interface Watching extends AutoCloseable {
        Map<String, Object> report();
    }

    /** Starts the job with {@code n} live cameras. */
    private interface Starter {
        LiveRun start(int n) throws Exception;
    }

    /** One camera over the measured window. */
    record CameraResult(String camera, long processed, long dropped, double processedFps, double deliveredFps,
                        double ratio, double dropFraction, long duplicates, long unexplainedGaps) {}

    public static int run(Options options) throws Exception {
        Model model = options.model() != null ? ModelReader.read(options.model()) : DarkRegionsModel.build(576, 768, 70);
        String className = options.model() != null ? ModelClasses.name(model, 0, "person") : "dark-region";
        double cameraFps = io.bitvision.testkit.clips.VideoClip.frameRate(options.video());
        if (!(cameraFps > 0)) {
            System.err.println("bench scale: " + options.video() + " declares no frame rate");
            return 2;
        }
        System.out.printf(Locale.ROOT, "bitvision bench scale: %s (%.2f fps per camera), model %s, one slot (parallelism 1), "
                + "in-process broker, checkpoints every %d ms%n%s%n", options.video(), cameraFps, model.name(),
                options.checkpointMs(), Machine.describe());
        List<Map<String, Object>> steps = new ArrayList<>();
        int answer;
        Map<String, Object> where = new LinkedHashMap<>();
        if (options.onCluster()) {
            LocalCluster cluster = LocalClusters.defaultCluster();
            boolean started = !cluster.isUp(); // a cluster the user started stays up
            cluster.up(System.out);
            try {
                String bootstrap = cluster.endpoints().bootstrap();
                where.put("cluster", cluster.status());
                answer = steps(options, steps, cameraFps, bootstrap, cluster.settings().topicPartitions(), n -> ClusterLiveRun.submit(cluster,
                        LocalClusters.DEFAULT_JOB_JAR, "scale-n" + n + "-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36),
                        options.video(), n, options.model(), Duration.ofMillis(options.checkpointMs())));
            } finally {
                if (started) {
                    cluster.down(System.out, false);
                }
            }
        } else {
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
                answer = steps(options, steps, cameraFps, broker.bootstrapServers(), 1, n -> LiveJob.start(broker,
                        "bench.scale.n" + n, options.video(), n, model, className, Duration.ofMillis(options.checkpointMs()),
                        Map.of(), 10, options.onlooker() == null ? null
                                : new io.bitvision.operators.preview.PreviewSettings("bench.scale.n" + n + ".previews",
                                        ONLOOKER_PREVIEW_FPS, io.bitvision.operators.preview.PreviewSettings.DEFAULT_WIDTH)));
            }
        }
        boolean stoppedByLoad = !steps.isEmpty() && !Boolean.TRUE.equals(steps.get(steps.size() - 1).get("keeps_up"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("what", "cameras one TaskManager slot keeps up with at the camera's frame rate");
        json.put("setup", (options.onCluster()
                ? "one TaskManager slot of the local standalone cluster (cluster up: JobManager, 2 TaskManagers x 2 slots, "
                        + "the broker, each its own JVM; the job submitted with flink run at parallelism 1)"
                : "one slot (local MiniCluster, parallelism 1: source, inference and Kafka sink share it), the Kafka broker "
                        + "in-process in the same JVM")
                + " on this " + Runtime.getRuntime().availableProcessors() + "-core machine, "
                + "N replay: cameras of the same video, each delivering at the video's frame rate with drop-to-latest");
        json.put("on_cluster", options.onCluster());
        json.put("console_open", options.onlooker() != null);
        json.putAll(where);
        json.put("machine", Machine.describe());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("jvm", Runtime.version().toString() + " (" + System.getProperty("java.vm.name") + ")");
        json.put("video", options.video().toString());
        json.put("camera_fps", cameraFps);
        json.put("model", model.name() + " v" + model.version()
                + (options.model() != null ? " (" + options.model() + ")" : " (stand-in)"));
        json.put("checkpoint_ms", options.checkpointMs());
        json.put("warmup_s", options.warmupSeconds());
        json.put("measured_s", options.seconds());
        json.put("criteria", Map.of(
                "processed_over_camera_fps_min", options.keepUp(),
                "dropped_fraction_max", options.maxDrop(),
                "duplicates", 0));
        json.put("steps", steps);
        json.put("from_cameras", options.fromCameras());
        json.put("cameras_per_slot", answer);
        json.put("limit_found", stoppedByLoad);
        if (options.out().getParent() != null) {
            Files.createDirectories(options.out().getParent());
        }
        Files.writeString(options.out(), JsonReports.write(json));
        System.out.println();
        System.out.println("  N | per camera processed fps (of " + JsonReports.number(cameraFps) + ") | dropped | latency p50/p95 ms | append p50/p95 ms | JVM cores | keeps up");
        for (Map<String, Object> step : steps) {
            System.out.println("  " + summary(step));
        }
        String untested = options.fromCameras() > 1 ? " (N below --from " + options.fromCameras() + " not run here)" : "";
        System.out.println(stoppedByLoad
                ? "cameras per slot at " + JsonReports.number(cameraFps) + " fps: " + answer + untested
                : "cameras per slot: at least " + answer + " (every N up to --max-cameras kept up)" + untested);
        System.out.println("wrote " + options.out());
        return 0;
    }

    /** Runs N = --from, ... until a step does not keep up; returns the largest N that did. */
    private static int steps(Options options, List<Map<String, Object>> steps, double cameraFps, String bootstrap,
                             int partitions, Starter starter) throws Exception {
        int answer = options.fromCameras() - 1; // N below --from were not run: taken as keeping up
        for (int n = options.fromCameras(); n <= options.maxCameras(); n++) {
            System.out.printf(Locale.ROOT, "[N=%d] %d replay cameras: %d s warm-up, %d s measured%n", n, n,
                    options.warmupSeconds(), options.seconds());
            Map<String, Object> step = step(bootstrap, partitions, starter, options, cameraFps, n);
            steps.add(step);
            System.out.println("  " + summary(step));
            if (!Boolean.TRUE.equals(step.get("keeps_up"))) {
                break;
            }
            answer = n;
        }
        return answer;
    }

    private static Map<String, Object> step(String bootstrap, int partitions, Starter starter, Options options,
                                            double cameraFps, int n) throws Exception {
        List<LiveWatcher.Observed> seen = new ArrayList<>();
        long windowStart;
        long windowEnd;
        ThreadCpuSampler cpu;
        JobStatus statusAtEnd;
        Map<String, LiveWatcher.CameraTotals> totals;
        List<String> ids;
        Map<String, Object> onlooker = null;
        try (LiveRun job = starter.start(n);
             LiveWatcher watcher = new LiveWatcher(bootstrap, job.topics().masks(), partitions, o -> {
                 synchronized (seen) {
                     seen.add(o);
                 }
             })) {
            long deadline = System.currentTimeMillis() + 120_000;
            ids = job.cameraIds();
            while (!watcher.totals().keySet().containsAll(ids)) {
                if (System.currentTimeMillis() > deadline || job.status().isGloballyTerminalState()) {
                    throw new IllegalStateException("N=" + n + ": not every camera produced a committed record in 120 s"
                            + " (job " + job.status() + ", " + job.failure() + ")");
                }
                Thread.sleep(200);
            }
            Watching watching = options.onlooker() == null ? null
                    : options.onlooker().watch(bootstrap, job.topics(), "bench.scale.n" + n + ".previews");
            try {
            windowStart = System.currentTimeMillis() + options.warmupSeconds() * 1000L;
            windowEnd = windowStart + options.seconds() * 1000L;
            Pacing.sleepUntil(windowStart);
            // Only this JVM's threads can be sampled: the job's own when it runs here.
            cpu = options.onCluster() ? null : ThreadCpuSampler.start(200);
            while (System.currentTimeMillis() < windowEnd) {
                Pacing.sleepUntil(Math.min(windowEnd, System.currentTimeMillis() + 10_000));
                System.out.printf(Locale.ROOT, "    %3.0f s of %d: %d records committed%n",
                        (System.currentTimeMillis() - windowStart) / 1e3, options.seconds(), watcher.records());
            }
            if (cpu != null) {
                cpu.close();
            }
            } finally {
                if (watching != null) {
                    onlooker = watching.report();
                    watching.close();
                }
            }
            // Frames read before the window's end are committed within two checkpoints if the job keeps up.
            Pacing.sleepUntil(windowEnd + 2 * options.checkpointMs() + 2_000);
            statusAtEnd = job.status();
            totals = watcher.totals();
        }
        List<LiveWatcher.Observed> window;
        synchronized (seen) {
            window = seen.stream().filter(o -> ids.contains(o.camera()) && o.ingestMs() >= windowStart
                    && o.ingestMs() < windowEnd).toList();
        }
        totals.keySet().retainAll(ids);
        Map<String, Object> step = stepJson(ids, cameraFps, options, window, totals, cpu, statusAtEnd);
        if (onlooker != null) {
            step.put("console", onlooker);
        }
        return step;
    }

    public static Map<String, Object> stepJson(int n, double cameraFps, Options options, List<LiveWatcher.Observed> window,
                                        Map<String, LiveWatcher.CameraTotals> totals, ThreadCpuSampler cpu,
                                        JobStatus status) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(String.format("cam-%02d", i));
        }
        return stepJson(ids, cameraFps, options, window, totals, cpu, status);
    }

    static Map<String, Object> stepJson(List<String> cameraIds, double cameraFps, Options options,
                                        List<LiveWatcher.Observed> window, Map<String, LiveWatcher.CameraTotals> totals,
                                        ThreadCpuSampler cpu, JobStatus status) {
        int n = cameraIds.size();
        double seconds = options.seconds();
        List<CameraResult> cameras = cameraResults(cameraIds, cameraFps, seconds, window, totals);
        double[] visible = window.stream().mapToDouble(o -> o.visibleMs() - o.ingestMs()).toArray();
        double[] append = window.stream().filter(o -> o.appendMs() >= 0).mapToDouble(o -> o.appendMs() - o.ingestMs())
                .toArray();
        boolean everyCameraKeepsUp = cameras.stream().allMatch(c -> c.ratio() >= options.keepUp());
        boolean dropsWithinBound = cameras.stream().allMatch(c -> c.dropFraction() <= options.maxDrop());
        boolean noDuplicates = cameras.stream().allMatch(c -> c.duplicates() == 0);
        boolean running = status == JobStatus.RUNNING;
        List<String> why = new ArrayList<>();
        if (!everyCameraKeepsUp) {
            why.add("a camera's processed rate is below " + options.keepUp() + " of the camera rate");
        }
        if (!dropsWithinBound) {
            why.add("more than " + options.maxDrop() + " of a camera's frames dropped");
        }
        if (!noDuplicates) {
            why.add("duplicate records");
        }
        if (!running) {
            why.add("the job is " + status);
        }
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("cameras", n);
        step.put("processed_fps_per_camera_min", cameras.stream().mapToDouble(CameraResult::processedFps).min().orElse(0));
        step.put("processed_fps_per_camera_mean", cameras.stream().mapToDouble(CameraResult::processedFps).average().orElse(0));
        step.put("processed_over_camera_fps_min", cameras.stream().mapToDouble(CameraResult::ratio).min().orElse(0));
        step.put("processed_fps_total", cameras.stream().mapToDouble(CameraResult::processedFps).sum());
        step.put("frames_dropped", cameras.stream().mapToLong(CameraResult::dropped).sum());
        step.put("dropped_fraction_max", cameras.stream().mapToDouble(CameraResult::dropFraction).max().orElse(0));
        step.put("latency_ms_p50", Percentiles.percentile(visible, 50));
        step.put("latency_ms_p95", Percentiles.percentile(visible, 95));
        step.put("append_latency_ms_p50", Percentiles.percentile(append, 50));
        step.put("append_latency_ms_p95", Percentiles.percentile(append, 95));
        if (cpu != null) {
            Map<String, ThreadCpuSampler.Usage> groups = cpu.byGroup();
            ThreadCpuSampler.Usage total = groups.get("total");
            double wall = cpu.wallSeconds();
            step.put("jvm_cpu_cores", total == null ? Double.NaN : total.cpuSeconds() / wall);
            step.put("other_processes_cores", cpu.otherProcessesCores());
            step.put("gc_pause_s", cpu.gcPauseSeconds());
            Map<String, Object> byGroup = new LinkedHashMap<>();
            groups.forEach((group, u) -> {
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("cores", u.cpuSeconds() / wall);
                g.put("run_queue_wait_s", u.waitSeconds());
                byGroup.put(group, g);
            });
            step.put("cpu_by_group", byGroup);
        }
        step.put("job_status_at_end", status.name());
        step.put("keeps_up", everyCameraKeepsUp && dropsWithinBound && noDuplicates && running);
        step.put("why_not", why);
        List<Map<String, Object>> perCamera = new ArrayList<>();
        for (CameraResult c : cameras) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("camera", c.camera());
            m.put("processed", c.processed());
            m.put("dropped", c.dropped());
            m.put("processed_fps", c.processedFps());
            m.put("delivered_fps", c.deliveredFps());
            m.put("processed_over_camera_fps", c.ratio());
            m.put("dropped_fraction", c.dropFraction());
            m.put("duplicates", c.duplicates());
            m.put("gaps_not_explained_by_drops", c.unexplainedGaps());
            perCamera.add(m);
        }
        step.put("per_camera", perCamera);
        return step;
    }

    /**
     * Per camera over the window: records whose frame was read in it, and the drops they report. A camera with no
     * record in the window has processed nothing (rate 0).
     */
    static List<CameraResult> cameraResults(List<String> cameraIds, double cameraFps, double seconds,
                                            List<LiveWatcher.Observed> window, Map<String, LiveWatcher.CameraTotals> totals) {
        Map<String, long[]> byCamera = new java.util.TreeMap<>();
        for (String id : cameraIds) {
            byCamera.put(id, new long[2]);
        }
        for (LiveWatcher.Observed o : window) {
            long[] c = byCamera.computeIfAbsent(o.camera(), k -> new long[2]);
            c[0]++;
            c[1] += o.framesDropped();
        }
        List<CameraResult> results = new ArrayList<>();
        byCamera.forEach((camera, c) -> {
            LiveWatcher.CameraTotals t = totals.get(camera);
            double processedFps = c[0] / seconds;
            double delivered = c[0] + c[1];
            results.add(new CameraResult(camera, c[0], c[1], processedFps, delivered / seconds,
                    processedFps / cameraFps, delivered == 0 ? 0 : c[1] / delivered,
                    t == null ? 0 : t.duplicates(), t == null ? 0 : t.unexplainedGaps()));
        });
        return results;
    }

    private static String summary(Map<String, Object> step) {
        return String.format(Locale.ROOT, "%2d | min %5.2f, mean %5.2f (%.1f%%) | %5d | %5.0f / %5.0f | %5.0f / %5.0f | %4.2f | %s",
                (int) step.get("cameras"), (double) step.get("processed_fps_per_camera_min"),
                (double) step.get("processed_fps_per_camera_mean"),
                100 * (double) step.get("processed_over_camera_fps_min"), (long) step.get("frames_dropped"),
                (double) step.get("latency_ms_p50"), (double) step.get("latency_ms_p95"),
                (double) step.get("append_latency_ms_p50"), (double) step.get("append_latency_ms_p95"),
                step.get("jvm_cpu_cores") instanceof Double d ? d : Double.NaN,
                Boolean.TRUE.equals(step.get("keeps_up")) ? "yes" : "no: " + step.get("why_not"));
    }

}
