package io.bitvision.benchmarks.faults;

import io.bitvision.benchmarks.live.LiveJob;
import io.bitvision.benchmarks.live.LiveWatcher;
import io.bitvision.benchmarks.live.Machine;
import io.bitvision.benchmarks.live.Pacing;
import io.bitvision.benchmarks.live.ThreadCpuSampler;
import io.bitvision.benchmarks.scale.ScaleBench;
import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.testkit.faults.BadCameraServer;
import io.bitvision.testkit.faults.LiveClipServer;
import io.bitvision.testkit.faults.TransportStreamClip;
import io.bitvision.testkit.audit.CommittedRecords;
import io.bitvision.testkit.audit.HealthEvents;
import io.bitvision.testkit.report.JsonReports;
import io.bitvision.operators.inference.DarkRegionsModel;
import io.bitvision.operators.inference.ModelClasses;
import io.bitvision.schemas.CameraHealth;
import io.bitvision.schemas.CameraState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code ./bitvision bench faults}: do healthy cameras keep their frame rate while other cameras of the same job
 * fail? Two runs of the job on one slot ({@link LiveJob}, in-process broker), measured the same way as
 * {@code bench scale}: first {@code --healthy} replay cameras alone (the baseline), then the same cameras next to a
 * live HTTP camera that is unplugged for {@code --outage-s} every {@code --flap-every-s} and comes back, a camera that
 * accepts the connection and never answers, one that streams garbage and one on a port nobody listens on. The faulty
 * cameras never give up (reconnect attempts unbounded) so they keep costing the job for the whole window.
 *
 * <p>Per run and healthy camera: processed frames per second (records whose frame was read in the window, divided
 * by it), dropped fraction; per faulty camera: the health states it was reported in and its last reason; for the
 * returning camera: outages, and per return the seconds until its first frame was read again. The healthy cameras
 * keep their rate when, with the faults, each processes at least {@code --keep-up} (0.95) of the camera rate, drops
 * at most {@code --max-drop} (0.01), duplicates nothing, and the job still runs. Writes
 * {@code bench-results/faults.json}.
 */
public final class FaultBench {
    private FaultBench() {}

    public record Options(Path video, Path out, Path model, int healthy, int seconds, int warmupSeconds, long checkpointMs,
                   int outageSeconds, int flapEverySeconds, double keepUp, double maxDrop) {}

    private static final List<String> FAULTY = List.of("flaky", "hang", "garbage", "refused");

    public static int run(Options options) throws Exception {
        Model model = options.model() != null ? ModelReader.read(options.model()) : DarkRegionsModel.build(576, 768, 70);
        String className = options.model() != null ? ModelClasses.name(model, 0, "person") : "dark-region";
        double cameraFps = io.bitvision.testkit.clips.VideoClip.frameRate(options.video());
        TransportStreamClip.Clip clip = TransportStreamClip.of(options.video(), Path.of(".bitvision/samples"));
        System.out.printf(Locale.ROOT, "bitvision bench faults: %d healthy replay cameras of %s (%.2f fps), model %s, "
                + "one slot, in-process broker; faulty: %s%n%s%n", options.healthy(), options.video(), cameraFps,
                model.name(), FAULTY, Machine.describe());
        Map<String, Object> baseline;
        Map<String, Object> withFaults;
        List<FaultChart.Timeline> timelines = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            System.out.printf("[baseline] %d healthy cameras alone: %d s warm-up, %d s measured%n", options.healthy(),
                    options.warmupSeconds(), options.seconds());
            baseline = measure(broker, "bench.faults.baseline", options, model, className, cameraFps, Map.of(), null,
                    timelines);
            System.out.println("  " + summary(baseline));
            System.out.printf("[faults] the same cameras next to %s%n", FAULTY);
            try (LiveClipServer flaky = new LiveClipServer(clip.file(), clip.seconds());
                 BadCameraServer bad = new BadCameraServer()) {
                Map<String, String> faulty = new LinkedHashMap<>();
                faulty.put("flaky", flaky.url());
                faulty.put("hang", bad.hangUrl());
                faulty.put("garbage", bad.garbageUrl());
                faulty.put("refused", closedPortUrl());
                withFaults = measure(broker, "bench.faults.faulty", options, model, className, cameraFps, faulty, flaky,
                        timelines);
            }
            System.out.println("  " + summary(withFaults));
        }
        double baseMin = (double) baseline.get("processed_fps_per_camera_min");
        double faultMin = (double) withFaults.get("processed_fps_per_camera_min");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("what", "healthy cameras' processed frame rate with and without faulty cameras in the same job");
        json.put("setup", "one slot (local MiniCluster, parallelism 1), the Kafka broker in-process, " + options.healthy()
                + " replay: cameras of the same video at its frame rate with drop-to-latest; faulty cameras: 'flaky' a live "
                + "HTTP MPEG-TS camera unplugged for " + options.outageSeconds() + " s every " + options.flapEverySeconds()
                + " s, 'hang' accepts and never answers, 'garbage' streams random bytes, 'refused' a closed port; "
                + "reconnect attempts unbounded");
        json.put("machine", Machine.describe());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("jvm", Runtime.version().toString());
        json.put("video", options.video().toString());
        json.put("camera_fps", cameraFps);
        json.put("model", model.name() + " v" + model.version()
                + (options.model() != null ? " (" + options.model() + ")" : " (stand-in)"));
        json.put("checkpoint_ms", options.checkpointMs());
        json.put("warmup_s", options.warmupSeconds());
        json.put("measured_s", options.seconds());
        json.put("criteria", Map.of("processed_over_camera_fps_min", options.keepUp(),
                "dropped_fraction_max", options.maxDrop(), "duplicates", 0));
        json.put("baseline", baseline);
        json.put("with_faults", withFaults);
        json.put("healthy_fps_ratio_faults_over_baseline", baseMin > 0 ? faultMin / baseMin : Double.NaN);
        json.put("others_keep_frame_rate", withFaults.get("keeps_up"));
        if (options.out().getParent() != null) {
            Files.createDirectories(options.out().getParent());
        }
        Files.writeString(options.out(), JsonReports.write(json));
        Path png = options.out().resolveSibling(options.out().getFileName().toString().replaceFirst("\\.json$", "") + ".png");
        FaultChart.write(png, timelines, cameraFps, String.format(Locale.ROOT,
                "%d healthy replay cameras alone, then next to flaky (unplugged %d s every %d s), hang, garbage, refused; "
                        + "one slot, in-process broker", options.healthy(), options.outageSeconds(),
                options.flapEverySeconds()));
        System.out.println();
        System.out.println("  run | healthy per camera processed fps (of " + JsonReports.number(cameraFps)
                + ") | dropped | latency p50/p95 ms | append p50/p95 ms | JVM cores | keeps up");
        System.out.println("  " + summary(baseline));
        System.out.println("  " + summary(withFaults));
        @SuppressWarnings("unchecked")
        Map<String, Object> flaky = (Map<String, Object>) withFaults.get("returning_camera");
        System.out.println("  returning camera: " + flaky.get("outages") + " outages, back after (s) "
                + flaky.get("seconds_to_first_frame_after_return") + ", " + flaky.get("frames_processed") + " frames");
        System.out.printf(Locale.ROOT, "healthy cameras with faults / alone: %.3f; keep their frame rate: %s%n",
                json.get("healthy_fps_ratio_faults_over_baseline"), withFaults.get("keeps_up"));
        System.out.println("wrote " + options.out() + " and " + png);
        return 0;
    }

    private static Map<String, Object> measure(EmbeddedKafkaBroker broker, String name, Options options, Model model,
                                               String className, double cameraFps, Map<String, String> faulty,
                                               LiveClipServer flaky, List<FaultChart.Timeline> timelines)
            throws Exception {
        List<LiveWatcher.Observed> seen = new ArrayList<>();
        List<Long> plugTimes = new ArrayList<>();
        List<long[]> outageTimes = new ArrayList<>();
        int outages = 0;
        long windowStart;
        long windowEnd;
        ThreadCpuSampler cpu;
        org.apache.flink.api.common.JobStatus status;
        Map<String, LiveWatcher.CameraTotals> totals;
        HealthEvents health;
        Consumer<LiveWatcher.Observed> collect = o -> {
            synchronized (seen) {
                seen.add(o);
            }
        };
        int maxAttempts = faulty.isEmpty() ? 10 : Integer.MAX_VALUE;
        try (LiveJob job = LiveJob.start(broker, name, options.video(), options.healthy(), model, className,
                Duration.ofMillis(options.checkpointMs()), faulty, maxAttempts);
             LiveWatcher watcher = new LiveWatcher(broker.bootstrapServers(), job.topics.masks(), 1, collect)) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (!watcher.totals().keySet().containsAll(job.cameraIds)) {
                if (System.currentTimeMillis() > deadline || job.status().isGloballyTerminalState()) {
                    throw new IllegalStateException(name + ": not every healthy camera produced a committed record in "
                            + "120 s (job " + job.status() + ", " + job.failure() + ")");
                }
                Thread.sleep(200);
            }
            windowStart = System.currentTimeMillis() + options.warmupSeconds() * 1000L;
            windowEnd = windowStart + options.seconds() * 1000L;
            Pacing.sleepUntil(windowStart);
            cpu = ThreadCpuSampler.start(200);
            long nextUnplug = windowStart + options.flapEverySeconds() * 1000L - options.outageSeconds() * 1000L;
            while (System.currentTimeMillis() < windowEnd) {
                long now = System.currentTimeMillis();
                if (flaky != null && now >= nextUnplug) {
                    flaky.unplug();
                    outages++;
                    System.out.printf(Locale.ROOT, "    %3.0f s: flaky camera unplugged for %d s%n",
                            (now - windowStart) / 1e3, options.outageSeconds());
                    Pacing.sleepUntil(now + options.outageSeconds() * 1000L);
                    flaky.plug();
                    plugTimes.add(System.currentTimeMillis());
                    outageTimes.add(new long[] {now, System.currentTimeMillis()});
                    nextUnplug += options.flapEverySeconds() * 1000L;
                    continue;
                }
                long next = Math.min(windowEnd, now + 10_000);
                if (flaky != null) {
                    next = Math.min(next, nextUnplug);
                }
                Pacing.sleepUntil(next);
                System.out.printf(Locale.ROOT, "    %3.0f s of %d: %d records committed%n",
                        (System.currentTimeMillis() - windowStart) / 1e3, options.seconds(), watcher.records());
            }
            cpu.close();
            Pacing.sleepUntil(windowEnd + 2 * options.checkpointMs() + 2_000);
            status = job.status();
            totals = watcher.totals();
            health = HealthEvents.of(CommittedRecords.readAll(broker.bootstrapServers(), new Properties(),
                    Duration.ofSeconds(30), job.topics.health()).get(job.topics.health()));
        }
        List<LiveWatcher.Observed> all;
        synchronized (seen) {
            all = List.copyOf(seen);
        }
        timelines.add(FaultChart.timeline(faulty.isEmpty() ? "healthy cameras alone" : "with the faulty cameras",
                all.stream().filter(o -> !faulty.containsKey(o.camera()) || o.camera().equals("flaky")).toList(),
                windowStart, options.seconds(), outageTimes));
        Set<String> healthyIds = totals.keySet().stream().filter(id -> id.startsWith("cam-")).collect(Collectors.toSet());
        List<LiveWatcher.Observed> window = all.stream().filter(o -> healthyIds.contains(o.camera())
                && o.ingestMs() >= windowStart && o.ingestMs() < windowEnd).toList();
        ScaleBench.Options asScale = new ScaleBench.Options(options.video(), options.out(), options.model(),
                options.healthy(), options.healthy(), options.seconds(), options.warmupSeconds(), options.checkpointMs(),
                options.keepUp(), options.maxDrop());
        Map<String, LiveWatcher.CameraTotals> healthyTotals = new LinkedHashMap<>(totals);
        healthyTotals.keySet().retainAll(healthyIds);
        Map<String, Object> run = ScaleBench.stepJson(options.healthy(), cameraFps, asScale, window, healthyTotals, cpu,
                status);
        run.put("faulty_cameras", faulty.keySet());
        run.put("faulty_mask_records", all.stream().filter(o -> faulty.containsKey(o.camera())
                && !o.camera().equals("flaky")).count());
        Map<String, Object> faultyHealth = new LinkedHashMap<>();
        for (String camera : faulty.keySet()) {
            faultyHealth.put(camera, healthSummary(health.of(camera)));
        }
        run.put("faulty_health", faultyHealth);
        if (flaky != null) {
            List<Double> backAfter = new ArrayList<>();
            for (int i = 0; i < plugTimes.size(); i++) {
                long plugged = plugTimes.get(i);
                // A frame after the next unplug is not this return's.
                long until = i + 1 < outageTimes.size() ? outageTimes.get(i + 1)[0] : Long.MAX_VALUE;
                all.stream().filter(o -> o.camera().equals("flaky") && o.ingestMs() >= plugged && o.ingestMs() < until)
                        .mapToLong(LiveWatcher.Observed::ingestMs).min()
                        .ifPresent(first -> backAfter.add((first - plugged) / 1e3));
            }
            Map<String, Object> returning = new LinkedHashMap<>();
            returning.put("outages", outages);
            returning.put("outage_s", options.outageSeconds());
            returning.put("returns_with_frames_after", backAfter.size());
            returning.put("seconds_to_first_frame_after_return", backAfter);
            returning.put("frames_processed", all.stream().filter(o -> o.camera().equals("flaky")).count());
            returning.put("opens", health.opens("flaky"));
            returning.put("connections", flaky.connections());
            run.put("returning_camera", returning);
        }
        return run;
    }

    private static Map<String, Object> healthSummary(List<CameraHealth> events) {
        Map<CameraState, Integer> counts = new EnumMap<>(CameraState.class);
        for (CameraHealth h : events) {
            counts.merge(h.getState(), 1, Integer::sum);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Integer> states = new LinkedHashMap<>();
        counts.forEach((state, n) -> states.put(state.name(), n));
        m.put("events_by_state", states);
        CameraHealth last = events.isEmpty() ? null : events.get(events.size() - 1);
        m.put("last_state", last == null ? null : last.getState().name());
        m.put("last_reason", last == null ? null : last.getReason());
        m.put("reconnect_attempts", last == null ? 0 : last.getReconnectAttempts());
        return m;
    }

    private static String closedPortUrl() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return "http://127.0.0.1:" + port + "/cam";
    }

    private static String summary(Map<String, Object> run) {
        return String.format(Locale.ROOT, "%-8s | min %5.2f, mean %5.2f (%.1f%%) | %5d | %5.0f / %5.0f | %5.0f / %5.0f | %4.2f | %s",
                ((java.util.Collection<?>) run.get("faulty_cameras")).isEmpty() ? "alone" : "faults",
                (double) run.get("processed_fps_per_camera_min"), (double) run.get("processed_fps_per_camera_mean"),
                100 * (double) run.get("processed_over_camera_fps_min"), (long) run.get("frames_dropped"),
                (double) run.get("latency_ms_p50"), (double) run.get("latency_ms_p95"),
                (double) run.get("append_latency_ms_p50"), (double) run.get("append_latency_ms_p95"),
                run.get("jvm_cpu_cores") instanceof Double d ? d : Double.NaN,
                Boolean.TRUE.equals(run.get("keeps_up")) ? "yes" : "no: " + run.get("why_not"));
    }
}
