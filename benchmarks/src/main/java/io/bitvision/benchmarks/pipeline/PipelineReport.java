package io.bitvision.benchmarks.pipeline;

import io.bitvision.benchmarks.live.Percentiles;
import io.bitvision.benchmarks.live.ThreadCpuSampler;
import io.bitvision.testkit.report.JsonReports;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the runs into {@code bench-results/pipeline.json}: medians over runs for the rates, latency percentiles
 * over all records of all end-to-end runs, the ratios to the engine alone, and how each number was measured.
 */
final class PipelineReport {
    /** The job should reach this share of the engine's own frame rate. */
    static final double GOAL_E2E_OVER_ENGINE = 0.9;

    /** What was measured on what: one per benchmark invocation. */
    record Setup(String machine, String java, String video, int width, int height, String modelId, String modelVersion,
                 String modelNote, int cameras, int parallelism, long checkpointIntervalMs) {}

    private PipelineReport() {}

    static Map<String, Object> build(Setup setup, List<DecodeBench.Run> decode, List<EngineBench.Run> engine,
                                     Map<String, Double> engineSteps, List<EndToEndBench.Run> e2e,
                                     Map<String, Object> profile) {
        double decodeFps = Percentiles.median(decode.stream().mapToDouble(DecodeBench.Run::fps).toArray());
        double engineFps = Percentiles.median(engine.stream().mapToDouble(EngineBench.Run::fps).toArray());
        double e2eFps = Percentiles.median(e2e.stream().mapToDouble(EndToEndBench.Run::e2eFps).toArray());
        double e2eExclStartup = Percentiles.median(e2e.stream().mapToDouble(EndToEndBench.Run::e2eFpsExclStartup).toArray());
        double e2eSteady = Percentiles.median(e2e.stream().mapToDouble(EndToEndBench.Run::steadyFps).toArray());
        long[] visible = e2e.stream().flatMapToLong(r -> Arrays.stream(r.visibleLatencyMs())).toArray();
        long[] append = e2e.stream().flatMapToLong(r -> Arrays.stream(r.appendLatencyMs())).toArray();
        long[] engineNanos = engine.stream().flatMapToLong(r -> Arrays.stream(r.frameNanos())).toArray();
        long engineFrames = engine.stream().mapToLong(EngineBench.Run::frames).sum();
        long engineInstances = engine.stream().mapToLong(EngineBench.Run::instances).sum();

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "pipeline");
        json.put("e2e_fps", e2eFps);
        json.put("engine_fps", engineFps);
        json.put("decode_fps", decodeFps);
        json.put("latency_ms_p50", Percentiles.percentile(visible, 50));
        json.put("latency_ms_p95", Percentiles.percentile(visible, 95));
        json.put("e2e_fps_excl_startup", e2eExclStartup);
        json.put("e2e_fps_steady", e2eSteady);
        json.put("e2e_over_engine", e2eFps / engineFps);
        json.put("e2e_excl_startup_over_engine", e2eExclStartup / engineFps);
        json.put("e2e_steady_over_engine", e2eSteady / engineFps);
        json.put("goal_e2e_over_engine", GOAL_E2E_OVER_ENGINE);
        json.put("goal_met", e2eFps / engineFps >= GOAL_E2E_OVER_ENGINE);
        json.put("latency_ms_max", visible.length == 0 ? Double.NaN : (double) Arrays.stream(visible).max().getAsLong());
        json.put("append_latency_ms_p50", Percentiles.percentile(append, 50));
        json.put("append_latency_ms_p95", Percentiles.percentile(append, 95));
        json.put("startup_ms", Percentiles.median(e2e.stream().mapToDouble(EndToEndBench.Run::startupMs).toArray()));
        json.put("final_commit_ms", Percentiles.median(e2e.stream().mapToDouble(EndToEndBench.Run::finalCommitMs).toArray()));
        json.put("other_processes_cores", Percentiles.median(
                e2e.stream().mapToDouble(EndToEndBench.Run::otherProcessesCores).toArray()));
        json.put("engine_ms_per_frame_p50", Percentiles.percentile(engineNanos, 50) / 1e6);
        json.put("engine_ms_per_frame_p95", Percentiles.percentile(engineNanos, 95) / 1e6);
        json.put("engine_steps_ms", engineSteps);
        json.put("instances_per_frame", engineFrames == 0 ? Double.NaN : (double) engineInstances / engineFrames);
        json.put("decode_copy_ms_per_frame", Percentiles.median(decode.stream().mapToDouble(DecodeBench.Run::copyMsPerFrame).toArray()));
        json.put("decode_open_ms", Percentiles.median(decode.stream().mapToDouble(DecodeBench.Run::openMs).toArray()));

        json.put("model_id", setup.modelId());
        json.put("model_version", setup.modelVersion());
        json.put("model_note", setup.modelNote());
        json.put("video", setup.video());
        json.put("frame_size", setup.width() + "x" + setup.height());
        json.put("frames", decode.isEmpty() ? 0 : decode.get(0).frames());
        json.put("cameras", setup.cameras());
        json.put("parallelism", setup.parallelism());
        json.put("checkpoint_interval_ms", setup.checkpointIntervalMs());
        json.put("machine", setup.machine());
        json.put("java", setup.java());
        json.put("definitions", definitions());

        Map<String, Object> runs = new LinkedHashMap<>();
        runs.put("decode_fps", decode.stream().map(DecodeBench.Run::fps).toList());
        runs.put("engine_fps", engine.stream().map(EngineBench.Run::fps).toList());
        List<Object> e2eRuns = new ArrayList<>();
        for (EndToEndBench.Run r : e2e) {
            e2eRuns.add(runJson(r));
        }
        runs.put("e2e", e2eRuns);
        json.put("runs", runs);
        json.put("profile", profile);
        return json;
    }

    static Map<String, Object> runJson(EndToEndBench.Run r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frames_committed", r.frames());
        m.put("frames_expected", r.framesExpected());
        m.put("duplicates", r.duplicates());
        m.put("gaps", r.gaps());
        m.put("e2e_fps", r.e2eFps());
        m.put("e2e_fps_excl_startup", r.e2eFpsExclStartup());
        m.put("e2e_fps_steady", r.steadyFps());
        m.put("wall_s", r.wallSeconds());
        m.put("startup_ms", r.startupMs());
        m.put("final_commit_ms", r.finalCommitMs());
        m.put("latency_ms_p50", Percentiles.percentile(r.visibleLatencyMs(), 50));
        m.put("latency_ms_p95", Percentiles.percentile(r.visibleLatencyMs(), 95));
        m.put("append_latency_ms_p50", Percentiles.percentile(r.appendLatencyMs(), 50));
        m.put("append_latency_ms_p95", Percentiles.percentile(r.appendLatencyMs(), 95));
        double wall = r.wallSeconds();
        m.put("cpu_by_thread_group", usageJson(r.cpuByGroup(), wall, r.frames()));
        m.put("cpu_top_threads", usageJson(r.topThreads(), wall, r.frames()));
        m.put("gc_pause_s", r.gcPauseSeconds());
        m.put("other_processes_cores", r.otherProcessesCores());
        return m;
    }

    private static Map<String, Object> usageJson(Map<String, ThreadCpuSampler.Usage> usage, double wall, int frames) {
        Map<String, Object> out = new LinkedHashMap<>();
        usage.forEach((name, u) -> {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("cpu_s", u.cpuSeconds());
            g.put("cpu_share_of_one_core", u.cpuSeconds() / wall);
            g.put("cpu_ms_per_frame", frames == 0 ? Double.NaN : u.cpuSeconds() * 1000 / frames);
            g.put("runqueue_wait_s", u.waitSeconds());
            out.put(name, g);
        });
        return out;
    }

    private static Map<String, Object> definitions() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("decode_fps", "FFmpegFrameGrabber to RGB24 (swscale), 1 decoder thread, plus the source's copy into a "
                + "w*h*3 byte[]; first grab to end of file; median over runs");
        d.put("engine_fps", "FrameAnalyzer.analyze (resize if needed, pack, run, instances, IoU tracker) on frames "
                + "decoded into memory beforehand, one thread, after a warm-up; median over runs");
        d.put("e2e_fps", "frames committed / (last record visible to a read_committed consumer - job submission); "
                + "PipelineJob on a local MiniCluster, in-process Kafka broker, 1 camera, parallelism 1, the file "
                + "read as fast as the job takes it; median over runs");
        d.put("e2e_fps_excl_startup", "frames / (last record visible - first frame's ingest_time_ms)");
        d.put("e2e_fps_steady", "(frames - 1) / (last - first LogAppendTime): the pipeline's rate without startup "
                + "and without the wait for the final checkpoint's commit");
        d.put("latency_ms", "capture-to-Kafka: time a read_committed consumer polling every 20 ms first sees the "
                + "record minus the record's ingest_time_ms (decoder clock when the frame was read; for a file the "
                + "capture time is synthetic, so ingest stands in for capture); includes queueing under "
                + "backpressure and the wait for the checkpoint that commits the Kafka transaction; over all "
                + "records of all e2e runs; same JVM, same clock");
        d.put("append_latency_ms", "broker LogAppendTime (topics created with message.timestamp.type="
                + "LogAppendTime) minus ingest_time_ms: processing and produce, without the exactly-once commit wait");
        d.put("startup_ms", "job submission to the first frame's ingest (MiniCluster, deployment, opening the file)");
        d.put("final_commit_ms", "last record's append to its visibility (the final checkpoint)");
        d.put("other_processes_cores", "cores kept busy by other processes during the e2e runs (/proc/stat busy "
                + "less this JVM's CPU): competition the numbers include; median over runs");
        d.put("cpu_by_thread_group", "per e2e run, submission to last commit: on-CPU seconds and run-queue wait "
                + "(runnable, waiting for one of the cores) per group of threads, from /proc/self/task/*/schedstat");
        return d;
    }

    /** The summary table printed at the end of a run. */
    static String table(Map<String, Object> json) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-34s %12s%n", "measure", "value"));
        for (String key : List.of("decode_fps", "engine_fps", "e2e_fps", "e2e_fps_excl_startup", "e2e_fps_steady",
                "e2e_over_engine", "e2e_excl_startup_over_engine", "e2e_steady_over_engine", "latency_ms_p50",
                "latency_ms_p95", "append_latency_ms_p50", "append_latency_ms_p95", "startup_ms", "final_commit_ms",
                "engine_ms_per_frame_p50", "instances_per_frame", "other_processes_cores")) {
            Object v = json.get(key);
            String text = v instanceof Double d ? JsonReports.number(d) : String.valueOf(v);
            sb.append(String.format(Locale.ROOT, "%-34s %12s%n", key, text));
        }
        sb.append(String.format(Locale.ROOT, "goal e2e/engine >= %.2f: %s%n", GOAL_E2E_OVER_ENGINE,
                Boolean.TRUE.equals(json.get("goal_met")) ? "met" : "NOT met"));
        return sb.toString();
    }
}
