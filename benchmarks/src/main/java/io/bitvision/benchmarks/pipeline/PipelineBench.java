package io.bitvision.benchmarks.pipeline;

import io.bitvision.benchmarks.engine.ModelProfile;
import io.bitvision.benchmarks.live.Machine;
import io.bitvision.benchmarks.live.Percentiles;
import io.bitvision.testkit.report.JsonReports;
import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.engine.model.Model;
import io.bitvision.jobs.pipeline.PipelineConfig;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.operators.inference.DarkRegionsModel;
import io.bitvision.operators.inference.ModelClasses;
import io.bitvision.operators.inference.FrameAnalyzer;
import io.bitvision.operators.inference.ModelRef;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code ./bitvision bench pipeline}: how fast the whole job runs compared with its parts, on the sample video
 * (vtest.avi, 768x576, 795 frames) and the shipped person model (models/person-v1.bvm; {@code --model} for another,
 * the hand-built stand-in only when no model file exists). Writes {@code bench-results/pipeline.json}.
 *
 * <ul>
 *   <li>{@code decode_fps}: decoding the file to RGB alone, on the camera source's path ({@link DecodeBench});
 *   <li>{@code engine_fps}: {@link FrameAnalyzer#analyze} alone on frames decoded into memory, one thread, after a
 *       warm-up ({@link EngineBench}); {@code engine_profile}: the model's time per operator kind and its efficiency
 *       ({@link ModelProfile}) on a frame of the video, and frames/s with each frame's rows split across 1 and 2
 *       threads ({@code --inference-threads});
 *   <li>{@code e2e_fps}: the job on a local MiniCluster and the in-process broker, one camera, parallelism 1: frames
 *       committed per second from submission to the last commit, also without startup, and the pipeline's own rate
 *       between the first and last broker append ({@link EndToEndBench});
 *   <li>{@code latency_ms_p50/p95}: capture-to-Kafka, defined as the time a read_committed consumer first sees a
 *       record minus the frame's {@code ingest_time_ms}. With exactly-once delivery a record is in Kafka for its
 *       consumers only once the checkpoint commits its transaction, so this includes the checkpoint wait; the
 *       broker's LogAppendTime (the benchmark's topics set {@code message.timestamp.type=LogAppendTime}, because
 *       the job stamps records with the capture time) gives the latency without it ({@code append_latency_ms}).
 *       For a file, capture time is synthetic (the stream's PTS anchored at the first frame), so the decoder's
 *       ingest time stands in for capture; the file is read as fast as the job takes it, so these are latencies
 *       under full load.
 * </ul>
 *
 * Rates are medians over a few runs (default 3 decode, 3 engine, 2 end-to-end); a profile of where the job's time
 * goes (CPU per thread group, the per-frame cost of each step outside the engine, optionally JFR hot methods)
 * is written alongside; {@code --jfr FILE} adds one more end-to-end run under Java Flight Recorder, summarised
 * in the profile and not counted in the rates. Options: {@code [--video FILE] [--out FILE] [--decode-runs N] [--engine-runs N]
 * [--e2e-runs N] [--checkpoint-ms N] [--warmup-frames N] [--jfr FILE] [--what-if]}. {@code --what-if} adds one
 * run of {@link UnshuffledJob} (no keyBy between source and inference), reported in the profile only.
 */
public final class PipelineBench {
    private PipelineBench() {}

    /** Options of one invocation, checked in {@link #parse}. */
    public record Options(Path video, Path out, int decodeRuns, int engineRuns, int e2eRuns, long checkpointMs,
                   int warmupFrames, Path jfr, boolean whatIf, Path model, int inferenceThreads) {}

    public static int run(Options options) throws Exception {
        Model model = options.model() != null ? ModelReader.read(options.model()) : DarkRegionsModel.build(576, 768, 70);
        String className = options.model() != null ? ModelClasses.name(model, 0, "person") : "dark-region";
        String modelNote = options.model() != null ? "trained model " + options.model()
                : "stand-in model (dark 4x4 blocks), not the trained person model";
        PipelineConfig defaults = PipelineConfig.builder().bootstrapServers("unused:9092").camera("c", "unused")
                .model(ModelRef.ofBytes(model.name(), new byte[0]), className).build();
        System.out.printf(Locale.ROOT, "bitvision bench pipeline: %s, model %s v%s%n%s%n", options.video(), model.name(),
                model.version(), Machine.describe());

        // 1. Decode alone.
        System.out.println("[1/4] decode only (one warm-up pass, then " + options.decodeRuns() + " timed)");
        DecodeBench.decode(options.video(), null);
        List<DecodeBench.Run> decode = new ArrayList<>();
        for (int i = 0; i < options.decodeRuns(); i++) {
            DecodeBench.Run r = DecodeBench.decode(options.video(), null);
            decode.add(r);
            System.out.printf(Locale.ROOT, "  run %d: %d frames %dx%d in %.2f s = %.0f fps (RGB copy %.3f ms/frame, open %.0f ms)%n",
                    i + 1, r.frames(), r.width(), r.height(), r.seconds(), r.fps(), r.copyMsPerFrame(), r.openMs());
        }
        int width = decode.get(0).width();
        int height = decode.get(0).height();
        int frameCount = decode.get(0).frames();

        // 2. Engine alone on frames in memory.
        List<byte[]> frames = DecodeBench.decodeAll(options.video(), Integer.MAX_VALUE);
        FrameAnalyzer analyzer = new FrameAnalyzer(model, defaults.maxArenaBytes(), defaults.minCells());
        System.out.printf(Locale.ROOT, "[2/4] engine only: FrameAnalyzer.analyze on %d frames in memory, one thread "
                + "(%d warm-up frames, then %d timed passes)%n", frames.size(), options.warmupFrames(), options.engineRuns());
        EngineBench.warmUp(analyzer, frames, height, width, options.warmupFrames());
        List<EngineBench.Run> engine = new ArrayList<>();
        for (int i = 0; i < options.engineRuns(); i++) {
            EngineBench.Run r = EngineBench.pass(analyzer, frames, height, width);
            engine.add(r);
            System.out.printf(Locale.ROOT, "  run %d: %d frames in %.2f s = %.0f fps (p50 %.3f ms/frame, %.1f instances/frame)%n",
                    i + 1, r.frames(), r.seconds(), r.fps(), Percentiles.percentile(r.frameNanos(), 50) / 1e6,
                    (double) r.instances() / r.frames());
        }
        Map<String, Double> engineSteps = EngineBench.breakdown(model, defaults.maxArenaBytes(), defaults.minCells(),
                frames, height, width);
        System.out.println("  steps (ms/frame): " + format(engineSteps));
        Map<String, Object> modelProfile = modelProfile(model, frames.get(frames.size() / 2), height, width,
                analyzer.kernelStrategy());

        // 3. The job's per-frame steps outside the engine, each alone, without the 1 GB of frames above in the heap.
        frames = null;
        System.gc();
        System.out.println("[3/4] per-frame costs outside the engine (keyBy serialization, state, Avro, copies)");
        List<byte[]> sample = DecodeBench.decodeAll(options.video(), 300);
        Map<String, Object> stages = StageCosts.measure(analyzer, sample, height, width, className);
        stages.put("rgb_copy_ms_mean", Percentiles.median(decode.stream().mapToDouble(DecodeBench.Run::copyMsPerFrame).toArray()));
        System.out.println("  " + format(stages));
        sample = null;
        analyzer = null;
        System.gc();

        // 4. The whole job.
        List<EndToEndBench.Run> e2e = new ArrayList<>();
        Map<String, Object> jfrSummary = null;
        Map<String, Object> whatIf = null;
        System.out.println("[4/4] end to end: PipelineJob, local MiniCluster, in-process broker, 1 camera, parallelism 1, "
                + "checkpoints every " + options.checkpointMs() + " ms, " + options.inferenceThreads()
                + " inference thread(s) (" + options.e2eRuns() + " runs)");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            System.out.println("  broker up at " + broker.bootstrapServers());
            int runs = options.e2eRuns() + (options.jfr() != null ? 1 : 0);
            for (int i = 1; i <= runs; i++) {
                boolean profiled = i > options.e2eRuns();
                JfrProfile jfr = profiled ? JfrProfile.start(options.jfr()) : null;
                System.out.println("  run " + i + (profiled ? " (extra run with JFR, not counted in the rates)" : "") + ":");
                EndToEndBench.Run r = EndToEndBench.run(broker, options.video(), model, className, i,
                        Duration.ofMillis(options.checkpointMs()), frameCount, options.inferenceThreads());
                if (jfr != null) {
                    jfrSummary = jfr.stopAndSummarize();
                    jfrSummary.put("run", PipelineReport.runJson(r));
                } else {
                    e2e.add(r);
                }
                print(r);
            }
            if (options.whatIf()) {
                int i = runs + 1;
                System.out.println("  run " + i + " (what-if: source, inference and sink chained without keyBy; "
                        + "not counted in the rates):");
                EndToEndBench.Run r = EndToEndBench.run(broker, options.video(), model, className, i,
                        Duration.ofMillis(options.checkpointMs()), frameCount, options.inferenceThreads(),
                        UnshuffledJob::define);
                whatIf = PipelineReport.runJson(r);
                print(r);
            }
        }

        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("per_frame_steps_ms", stages);
        if (jfrSummary != null) {
            profile.put("jfr", jfrSummary);
        }
        if (whatIf != null) {
            profile.put("what_if_no_keyby_parallelism_1", whatIf);
        }
        PipelineReport.Setup setup = new PipelineReport.Setup(Machine.describe(), Runtime.version().toString(),
                options.video().toString(), width, height, model.name(), model.version(),
                modelNote, 1, 1, options.checkpointMs());
        Map<String, Object> json = PipelineReport.build(setup, decode, engine, engineSteps, e2e, profile);
        json.put("engine_profile", modelProfile);
        json.put("e2e_inference_threads", options.inferenceThreads());
        if (options.out().getParent() != null) {
            Files.createDirectories(options.out().getParent());
        }
        Files.writeString(options.out(), JsonReports.write(json));
        System.out.println();
        System.out.print(PipelineReport.table(json));
        System.out.println("wrote " + options.out());
        boolean exact = e2e.stream().allMatch(r -> r.frames() == r.framesExpected() && r.duplicates() == 0 && r.gaps() == 0);
        return exact ? 0 : 1;
    }

    /** The engine alone on one frame resized to the model's input: per operator kind, efficiency, 1 and 2 threads. */
    private static Map<String, Object> modelProfile(Model model, byte[] frame, int height, int width,
            io.bitvision.engine.kernel.KernelStrategy strategy) {
        io.bitvision.engine.tensor.TensorSpec input = model.graph().input();
        byte[] image = new byte[input.height() * input.width() * input.channels()];
        io.bitvision.engine.NearestResize.resize(frame, height, width, image, input.height(), input.width(), input.channels());
        Map<String, Object> measured = ModelProfile.measure(model, image, strategy, 100, 100);
        Map<Integer, Double> byThreads = ModelProfile.threadScaling(model, image, strategy, new int[] {1, 2}, 100);
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("kernels", measured.get("kernels"));
        profile.put("median_ms_per_frame", measured.get("median_ms_per_frame"));
        profile.put("efficiency", measured.get("efficiency"));
        profile.put("best_layer_g_plane_macs_per_s", measured.get("best_layer_g_plane_macs_per_s"));
        profile.put("ms_by_operator", measured.get("ms_by_operator"));
        Map<String, Object> threads = new LinkedHashMap<>();
        byThreads.forEach((count, ms) -> threads.put(Integer.toString(count), Map.of("median_ms_per_frame", ms,
                "frames_per_second", 1000.0 / ms)));
        profile.put("inference_threads", threads);
        profile.put("speedup_2_threads", byThreads.get(1) / byThreads.get(2));
        System.out.printf(Locale.ROOT, "  model profile: %.2f ms per frame, efficiency %.3f; rows across 2 threads %.2f ms "
                        + "vs %.2f ms on one (%.2fx)%n", (double) measured.get("median_ms_per_frame"),
                (double) measured.get("efficiency"), byThreads.get(2), byThreads.get(1), byThreads.get(1) / byThreads.get(2));
        System.out.println("  by operator (ms): " + format((Map<String, ?>) measured.get("ms_by_operator")));
        return profile;
    }

    private static void print(EndToEndBench.Run r) {
        System.out.printf(Locale.ROOT, "  run %d: %d/%d frames committed (duplicates %d, gaps %d) in %.2f s: %.0f fps, "
                        + "%.0f fps without startup (%d ms), %.0f fps steady; latency p50 %.0f ms, p95 %.0f ms%n",
                r.index(), r.frames(), r.framesExpected(), r.duplicates(), r.gaps(), r.wallSeconds(), r.e2eFps(),
                r.e2eFpsExclStartup(), r.startupMs(), r.steadyFps(), Percentiles.percentile(r.visibleLatencyMs(), 50),
                Percentiles.percentile(r.visibleLatencyMs(), 95));
        System.out.printf(Locale.ROOT, "      other processes kept %.2f of %d cores busy meanwhile%n",
                r.otherProcessesCores(), Runtime.getRuntime().availableProcessors());
        r.cpuByGroup().forEach((group, u) -> System.out.printf(Locale.ROOT,
                "      %-50s cpu %6.2f s (%5.1f%% of a core, %6.3f ms/frame), run-queue wait %5.2f s%n", group,
                u.cpuSeconds(), 100 * u.cpuSeconds() / r.wallSeconds(), u.cpuSeconds() * 1000 / Math.max(1, r.frames()),
                u.waitSeconds()));
    }


    private static String format(Map<String, ?> values) {
        return values.entrySet().stream()
                .map(e -> e.getKey() + "=" + (e.getValue() instanceof Double d ? JsonReports.number(d) : e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
