package io.bitvision.benchmarks.engine;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.graph.ConvOp;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.kernel.KernelStrategy;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a whole model's time goes on one thread: median time per frame (pack + run), time per node of the graph
 * the engine runs and per operator kind, and the model's efficiency, measured in one process:
 * {@code (plane-MACs / best layer rate of the family) / measured time}, the best layer rate being the
 * binary 3x3 128->128 layer ({@link BenchCase#CONV3X3_128_BINARY}) timed here on the same kernel family. 1.0
 * would mean every bit-plane MAC of the model ran at the benchmark layer's rate and nothing else took time.
 */
public final class ModelProfile {
    private ModelProfile() {}

    /** A profile of {@code model} on {@code frames} timed frames of {@code image} after {@code warmup} untimed ones. */
    public static Map<String, Object> measure(Model model, byte[] image, KernelStrategy strategy, int warmup, int frames) {
        InferenceEngine engine = InferenceEngine.builder(model).kernels(strategy).build();
        for (int i = 0; i < warmup; i++) {
            engine.packImage(image);
            engine.run();
        }
        long[] frameNanos = new long[frames];
        for (int i = 0; i < frames; i++) {
            long start = System.nanoTime();
            engine.packImage(image);
            engine.run();
            frameNanos[i] = System.nanoTime() - start;
        }
        Graph graph = model.executionGraph();
        long[] nodeNanos = new long[graph.nodes().size()];
        long packNanos = 0;
        int profiled = Math.max(3, frames / 2);
        for (int i = 0; i < profiled; i++) {
            long start = System.nanoTime();
            engine.packImage(image);
            packNanos += System.nanoTime() - start;
            engine.run(nodeNanos);
        }
        double medianMs = median(frameNanos) / 1e6;
        double layerRate = bestLayerRate(strategy);
        long planeMacs = graph.planeMacs();

        Map<String, Double> byKind = new TreeMap<>();
        byKind.put("image pack", packNanos / (double) profiled / 1e6);
        List<Map<String, Object>> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < nodeNanos.length; i++) {
            Node node = graph.nodes().get(i);
            double ms = nodeNanos[i] / (double) profiled / 1e6;
            String kind = kind(node);
            byKind.merge(kind, ms, Double::sum);
            TensorSpec[] in = graph.inputSpecs(i);
            long macs = node.op().planeMacs(in, graph.spec(i + 1));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("node", i);
            row.put("op", kind);
            row.put("output", graph.spec(i + 1).toString());
            row.put("ms", ms);
            row.put("plane_macs", macs);
            row.put("g_plane_macs_per_s", macs == 0 ? 0.0 : macs / (ms * 1e-3) / 1e9);
            nodes.add(row);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", model.name() + " v" + model.version());
        report.put("input", model.graph().input().toString());
        report.put("kernels", strategy.name().toLowerCase(java.util.Locale.ROOT));
        report.put("frames", frames);
        report.put("median_ms_per_frame", medianMs);
        report.put("frames_per_second_one_thread", 1000.0 / medianMs);
        report.put("plane_macs", planeMacs);
        report.put("best_layer_g_plane_macs_per_s", layerRate / 1e9);
        report.put("efficiency", planeMacs / layerRate / (medianMs * 1e-3));
        report.put("arena_bytes", model.plan().arenaBytes());
        report.put("ms_by_operator", byKind);
        report.put("nodes", nodes);
        return report;
    }

    /**
     * Median milliseconds per frame (pack + run) for each thread count, engines of every count timed in turn, a
     * short round each, so that a noisy machine slows them alike: key = threads, value = median ms.
     */
    public static Map<Integer, Double> threadScaling(Model model, byte[] image, KernelStrategy strategy, int[] threadCounts,
            int frames) {
        InferenceEngine[] engines = new InferenceEngine[threadCounts.length];
        long[][] nanos = new long[threadCounts.length][frames];
        try {
            for (int e = 0; e < engines.length; e++) {
                engines[e] = InferenceEngine.builder(model).kernels(strategy).threads(threadCounts[e]).build();
                for (int i = 0; i < frames; i++) {
                    engines[e].packImage(image);
                    engines[e].run();
                }
            }
            int round = 10;
            for (int done = 0; done < frames; done += round) {
                for (int e = 0; e < engines.length; e++) {
                    for (int i = done; i < Math.min(frames, done + round); i++) {
                        long start = System.nanoTime();
                        engines[e].packImage(image);
                        engines[e].run();
                        nanos[e][i] = System.nanoTime() - start;
                    }
                }
            }
        } finally {
            for (InferenceEngine engine : engines) {
                if (engine != null) {
                    engine.close();
                }
            }
        }
        Map<Integer, Double> medians = new LinkedHashMap<>();
        for (int e = 0; e < engines.length; e++) {
            medians.put(threadCounts[e], median(nanos[e]) / 1e6);
        }
        return medians;
    }

    /** Operator kind, with convolutions split by input bits and depthwise, where their rates differ. */
    private static String kind(Node node) {
        String kind = node.op().type().name();
        if (node.op() instanceof ConvOp conv) {
            kind += (conv.geometry().groups() > 1 ? " depthwise " : " ") + conv.inputBits() + "-bit";
        }
        return kind;
    }

    /** Plane-MACs per second of the binary 3x3 128->128 benchmark layer on this family: median of timed runs. */
    static double bestLayerRate(KernelStrategy strategy) {
        BenchCase layer = BenchCase.CONV3X3_128_BINARY;
        InferenceEngine engine = InferenceEngine.builder(layer.model()).kernels(strategy).build();
        BenchCase.fillInput(engine.input(), 7);
        for (int i = 0; i < 200; i++) {
            engine.run();
        }
        long[] nanos = new long[300];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            engine.run();
            nanos[i] = System.nanoTime() - start;
        }
        return layer.macs() / (median(nanos) * 1e-9);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
