package io.bitvision.cli;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.kernel.Kernels;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.testkit.report.JsonReports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code engine-demo}: the inference engine alone on a generated 768x576 frame, with per-node times. */
@Command(name = "engine-demo", mixinStandardHelpOptions = true,
        description = "The engine alone on a generated 768x576 frame (an untrained showcase network): per-node "
                + "times, median per frame, heap allocated per frame, arena size.")
public final class EngineDemoCommand extends CliCommand {
    @Option(names = "--frames", paramLabel = "N", defaultValue = "30")
    int frames;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench-results/engine-demo.json")
    Path reportFile;

    @Override
    public Integer call() throws Exception {
        atLeast("--frames", frames, 2);
        int height = 576;
        int width = 768;
        Model model = ShowcaseNetwork.build(height, width);
        long fileBytes = ModelWriter.toBytes(model).length;
        InferenceEngine engine = InferenceEngine.builder(model).build();
        byte[] frame = syntheticFrame(height, width);
        out.println("bitvision engine demo: the inference engine alone on a generated frame.");
        out.printf(Locale.ROOT, "JVM %s, %d cores, kernels %s%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Kernels.describe());
        out.printf(Locale.ROOT, "network %s (untrained, random weights): %d nodes, input %s%n", model.name(),
                model.graph().nodes().size(), model.graph().input());

        long[] nanos = new long[frames];
        for (int i = 0; i < frames; i++) {
            long start = System.nanoTime();
            engine.packImage(frame);
            engine.run();
            nanos[i] = System.nanoTime() - start;
            if (i % 10 == 9 || i == frames - 1) {
                out.printf(Locale.ROOT, "frame %d/%d: %.1f ms%n", i + 1, frames, nanos[i] / 1e6);
            }
        }
        out.println();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10; i++) {
            engine.packImage(frame);
            engine.run();
        }
        double allocatedPerFrame = (threads.getCurrentThreadAllocatedBytes() - allocatedBefore) / 10.0;
        long[] nodeNanos = new long[model.executionGraph().nodes().size()];
        for (int i = 0; i < 3; i++) {
            engine.run(nodeNanos);
        }
        out.println("time per node (mean of 3 runs):");
        for (int i = 0; i < nodeNanos.length; i++) {
            var node = model.executionGraph().nodes().get(i);
            out.printf(Locale.ROOT, "  %2d %-14s -> %-22s %8.2f ms%n", i, node.op().type(), model.executionGraph().spec(i + 1),
                    nodeNanos[i] / 3e6);
        }
        long[] steady = Arrays.copyOfRange(nanos, frames / 2, frames);
        Arrays.sort(steady);
        double medianMs = steady[steady.length / 2] / 1e6;

        Map<String, Object> report = new LinkedHashMap<>(ModelReport.of(model, fileBytes));
        report.put("kernels", engine.kernelStrategy().name().toLowerCase(Locale.ROOT));
        report.put("cpu", io.bitvision.engine.kernel.CpuFeatures.current().summary());
        report.put("frames", frames);
        report.put("median_ms_per_frame", medianMs);
        report.put("frames_per_second_one_thread", 1000.0 / medianMs);
        report.put("alloc_bytes_per_frame", allocatedPerFrame);
        out.printf(Locale.ROOT, "median %.1f ms per frame (%.1f fps on one thread), %d MACs of which %.1f%% bitwise%n",
                medianMs, 1000.0 / medianMs, model.graph().bitwiseMacs() + model.graph().otherMacs(),
                100.0 * (double) report.get("bitwise_mac_share"));
        out.printf(Locale.ROOT, "heap allocated per frame after warm-up (pack + run): %.1f bytes%n", allocatedPerFrame);
        out.printf(Locale.ROOT, "arena %.2f MiB allocated once (peak activations %.2f MiB, skip connections %.2f MiB)%n",
                model.plan().arenaBytes() / 1048576.0, model.plan().peakActivationBytes() / 1048576.0,
                model.plan().skipBytes() / 1048576.0);
        if (reportFile.getParent() != null) {
            Files.createDirectories(reportFile.getParent());
        }
        Files.writeString(reportFile, JsonReports.write(report));
        out.println("wrote " + reportFile);
        return 0;
    }

    /** A deterministic test card: gradients and stripes, so every bit-plane carries information. */
    private static byte[] syntheticFrame(int height, int width) {
        byte[] rgb = new byte[height * width * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int at = (y * width + x) * 3;
                rgb[at] = (byte) (x * 255 / width);
                rgb[at + 1] = (byte) (y * 255 / height);
                rgb[at + 2] = (byte) (((x / 16 + y / 16) & 1) * 200 + (x ^ y) % 55);
            }
        }
        return rgb;
    }
}
