package io.bitvision.cli;

import io.bitvision.benchmarks.engine.ModelProfile;
import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.kernel.Kernels;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.engine.tensor.TensorSpec;
import io.bitvision.testkit.report.JsonReports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code engine-demo}: the inference engine alone, on the untrained showcase network over a generated 768x576 frame
 * or on a model file ({@code --model}) over a generated frame of its input size: median time per frame, time per
 * operator, efficiency against the benchmark layer, heap allocated per frame, arena size.
 */
@Command(name = "engine-demo", mixinStandardHelpOptions = true,
        description = "The engine alone on a generated frame: the untrained showcase network at 768x576, or --model "
                + "M.bvm at its input size. Median per frame, per-operator times, efficiency (plane-MACs at the best "
                + "layer rate / measured time), heap allocated per frame, arena size.")
public final class EngineDemoCommand extends CliCommand {
    @Option(names = "--frames", paramLabel = "N", defaultValue = "30")
    int frames;

    @Option(names = "--model", paramLabel = "M.bvm", description = "A model file to profile instead of the showcase network.")
    Path modelFile;

    @Option(names = "--inference-threads", paramLabel = "N", defaultValue = "2",
            description = "Also time the engine splitting each frame's rows across N threads, against one thread "
                    + "(default: ${DEFAULT-VALUE}; 1 skips it).")
    int inferenceThreads;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench-results/engine-demo.json")
    Path reportFile;

    @Override
    public Integer call() throws Exception {
        atLeast("--frames", frames, 2);
        atLeast("--inference-threads", inferenceThreads, 1);
        Model model = modelFile == null ? ShowcaseNetwork.build(576, 768) : ModelReader.read(modelFile);
        long fileBytes = ModelWriter.toBytes(model).length;
        TensorSpec input = model.graph().input();
        byte[] frame = syntheticFrame(input.height(), input.width(), input.channels());
        InferenceEngine engine = InferenceEngine.builder(model).build();
        out.println("bitvision engine demo: the inference engine alone on a generated frame.");
        out.printf(Locale.ROOT, "JVM %s, %d cores, kernels %s%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Kernels.describe());
        out.printf(Locale.ROOT, "network %s%s: %d nodes stored, %d run after fusion, input %s%n", model.name(),
                modelFile == null ? " (untrained, random weights)" : " v" + model.version() + " (" + modelFile + ")",
                model.graph().nodes().size(), model.executionGraph().nodes().size(), input);
        out.printf(Locale.ROOT, "timing %d frames after %d warm-up frames, then per-node times...%n", frames, frames);
        Map<String, Object> profile = ModelProfile.measure(model, frame, engine.kernelStrategy(), frames, frames);

        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 5; i++) {
            engine.packImage(frame);
            engine.run();
        }
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10; i++) {
            engine.packImage(frame);
            engine.run();
        }
        double allocatedPerFrame = (threads.getCurrentThreadAllocatedBytes() - allocatedBefore) / 10.0;

        Map<Integer, Double> byThreads = inferenceThreads == 1 ? Map.of()
                : ModelProfile.threadScaling(model, frame, engine.kernelStrategy(), new int[] {1, inferenceThreads}, frames);

        out.println("time per node (mean of the profiled frames):");
        for (Object row : (List<?>) profile.get("nodes")) {
            Map<?, ?> node = (Map<?, ?>) row;
            out.printf(Locale.ROOT, "  %2d %-28s -> %-22s %8.3f ms%s%n", node.get("node"), node.get("op"), node.get("output"),
                    (double) node.get("ms"), (long) node.get("plane_macs") == 0 ? ""
                            : String.format(Locale.ROOT, "  %6.1f G plane-MAC/s", (double) node.get("g_plane_macs_per_s")));
        }
        out.println("time per operator kind:");
        ((Map<?, ?>) profile.get("ms_by_operator")).forEach((kind, ms) ->
                out.printf(Locale.ROOT, "  %-28s %8.3f ms%n", kind, (double) ms));
        double medianMs = (double) profile.get("median_ms_per_frame");
        out.printf(Locale.ROOT, "median %.1f ms per frame (%.1f fps on one thread), %d bitwise MACs (%d bit-plane MACs)%n",
                medianMs, 1000.0 / medianMs, model.graph().bitwiseMacs(), model.executionGraph().planeMacs());
        out.printf(Locale.ROOT, "efficiency %.3f: %.1f G plane-MACs at the binary 3x3 128->128 layer's %.1f G plane-MAC/s "
                        + "would take %.2f ms%n", (double) profile.get("efficiency"),
                model.executionGraph().planeMacs() / 1e9, (double) profile.get("best_layer_g_plane_macs_per_s"),
                model.executionGraph().planeMacs() / ((double) profile.get("best_layer_g_plane_macs_per_s") * 1e9) * 1e3);
        if (!byThreads.isEmpty()) {
            double one = byThreads.get(1);
            double many = byThreads.get(inferenceThreads);
            out.printf(Locale.ROOT, "rows split across %d threads: %.1f ms per frame (%.1f fps) vs %.1f ms (%.1f fps) on one "
                            + "thread in the same rounds, %.2fx%n", inferenceThreads, many, 1000.0 / many, one, 1000.0 / one,
                    one / many);
        }
        out.printf(Locale.ROOT, "heap allocated per frame after warm-up (pack + run): %.1f bytes%n", allocatedPerFrame);
        out.printf(Locale.ROOT, "arena %.2f MiB allocated once (peak activations %.2f MiB, skip connections %.2f MiB)%n",
                model.plan().arenaBytes() / 1048576.0, model.plan().peakActivationBytes() / 1048576.0,
                model.plan().skipBytes() / 1048576.0);

        Map<String, Object> report = new LinkedHashMap<>(ModelReport.of(model, fileBytes));
        report.put("kernels", engine.kernelStrategy().name().toLowerCase(Locale.ROOT));
        report.put("cpu", io.bitvision.engine.kernel.CpuFeatures.current().summary());
        report.put("frames", frames);
        report.put("median_ms_per_frame", medianMs);
        report.put("frames_per_second_one_thread", 1000.0 / medianMs);
        if (!byThreads.isEmpty()) {
            Map<String, Object> scaling = new LinkedHashMap<>();
            byThreads.forEach((count, ms) -> scaling.put(Integer.toString(count),
                    Map.of("median_ms_per_frame", ms, "frames_per_second", 1000.0 / ms)));
            report.put("inference_threads", scaling);
            report.put("speedup_" + inferenceThreads + "_threads", byThreads.get(1) / byThreads.get(inferenceThreads));
        }
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("alloc_bytes_per_frame", allocatedPerFrame);
        report.put("efficiency", profile.get("efficiency"));
        report.put("plane_macs", profile.get("plane_macs"));
        report.put("best_layer_g_plane_macs_per_s", profile.get("best_layer_g_plane_macs_per_s"));
        report.put("ms_by_operator", profile.get("ms_by_operator"));
        report.put("nodes_run", profile.get("nodes"));
        if (reportFile.getParent() != null) {
            Files.createDirectories(reportFile.getParent());
        }
        Files.writeString(reportFile, JsonReports.write(report));
        out.println("wrote " + reportFile);
        return 0;
    }

    /** A deterministic test card: gradients and stripes, so every bit-plane carries information. */
    private static byte[] syntheticFrame(int height, int width, int channels) {
        byte[] pixels = new byte[height * width * channels];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int at = (y * width + x) * channels;
                for (int c = 0; c < channels; c++) {
                    pixels[at + c] = (byte) switch (c % 3) {
                        case 0 -> x * 255 / width;
                        case 1 -> y * 255 / height;
                        default -> ((x / 16 + y / 16) & 1) * 200 + (x ^ y) % 55;
                    };
                }
            }
        }
        return pixels;
    }
}
