package io.bitvision.benchmarks.pipeline;

import io.bitvision.engine.model.Model;
import io.bitvision.engine.track.IouTracker;
import io.bitvision.operators.inference.FrameAnalyzer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine alone, as the job's inference operator calls it: {@link FrameAnalyzer#analyze} (resize when needed,
 * pack, run, instances, tracker) over frames already decoded in memory, on the calling thread, after a warm-up.
 * The tracker is the operator's ({@code PersonTracking.newTracker()}), kept across frames.
 */
final class EngineBench {

    private EngineBench() {}

    /** One timed pass over all frames: wall time of the pass and each frame's analyze time. */
    record Run(int frames, double seconds, long[] frameNanos, long instances) {
        double fps() {
            return frames / seconds;
        }
    }

    static void warmUp(FrameAnalyzer analyzer, List<byte[]> frames, int height, int width, int count) {
        IouTracker tracker = io.bitvision.operators.inference.PersonTracking.newTracker();
        for (int i = 0; i < count; i++) {
            analyzer.analyze(frames.get(i % frames.size()), height, width, i, tracker);
        }
    }

    static Run pass(FrameAnalyzer analyzer, List<byte[]> frames, int height, int width) {
        IouTracker tracker = io.bitvision.operators.inference.PersonTracking.newTracker();
        long[] nanos = new long[frames.size()];
        long instances = 0;
        long start = System.nanoTime();
        for (int i = 0; i < frames.size(); i++) {
            long t = System.nanoTime();
            instances += analyzer.analyze(frames.get(i), height, width, i, tracker).size();
            nanos[i] = System.nanoTime() - t;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(frames.size(), seconds, nanos, instances);
    }

    /**
     * Mean milliseconds per frame of analyze's steps (resize + pack, engine run, instance extraction, tracking), on a
     * second analyzer with the same model; the first quarter of the frames warms the JIT up.
     */
    static Map<String, Double> breakdown(Model model, long maxArenaBytes, int minCells, List<byte[]> frames,
                                         int height, int width) {
        FrameAnalyzer analyzer = new FrameAnalyzer(model, maxArenaBytes, minCells);
        IouTracker tracker = io.bitvision.operators.inference.PersonTracking.newTracker();
        int warm = frames.size() / 4;
        long total = 0;
        for (int i = 0; i < frames.size(); i++) {
            if (i == warm) {
                analyzer.resetStageNanos();
            }
            long t = System.nanoTime();
            analyzer.analyze(frames.get(i), height, width, i, tracker);
            if (i >= warm) {
                total += System.nanoTime() - t;
            }
        }
        long[] stages = analyzer.stageNanos();
        double n = frames.size() - warm;
        Map<String, Double> ms = new LinkedHashMap<>();
        ms.put("pack_ms", stages[0] / n / 1e6);
        ms.put("engine_run_ms", stages[1] / n / 1e6);
        ms.put("instances_ms", stages[2] / n / 1e6);
        ms.put("tracker_ms", (total - stages[0] - stages[1] - stages[2]) / n / 1e6);
        return ms;
    }
}
