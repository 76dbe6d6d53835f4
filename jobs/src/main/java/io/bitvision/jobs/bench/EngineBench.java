package io.bitvision.jobs.bench;

import io.bitvision.engine.ImagePacker;
import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.instance.ComponentInstances;
import io.bitvision.engine.instance.FrameGrid;
import io.bitvision.engine.instance.MaskInstance;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.track.IouTracker;
import io.bitvision.operators.inference.FrameAnalyzer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine alone, as the job's inference operator calls it: {@link FrameAnalyzer#analyze} (resize when needed,
 * pack, run, instances, tracker) over frames already decoded in memory, on the calling thread, after a warm-up.
 * The tracker is the operator's ({@code new IouTracker(0.3f, 10)}), kept across frames.
 */
final class EngineBench {
    static final float TRACKER_MIN_IOU = 0.3f;
    static final int TRACKER_MAX_AGE = 10;

    private EngineBench() {}

    /** One timed pass over all frames: wall time of the pass and each frame's analyze time. */
    record Run(int frames, double seconds, long[] frameNanos, long instances) {
        double fps() {
            return frames / seconds;
        }
    }

    static void warmUp(FrameAnalyzer analyzer, List<byte[]> frames, int height, int width, int count) {
        IouTracker tracker = new IouTracker(TRACKER_MIN_IOU, TRACKER_MAX_AGE);
        for (int i = 0; i < count; i++) {
            analyzer.analyze(frames.get(i % frames.size()), height, width, i, tracker);
        }
    }

    static Run pass(FrameAnalyzer analyzer, List<byte[]> frames, int height, int width) {
        IouTracker tracker = new IouTracker(TRACKER_MIN_IOU, TRACKER_MAX_AGE);
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
     * Mean milliseconds per frame of analyze's steps, measured apart on a second engine with the same model. These
     * steps mirror {@link FrameAnalyzer#analyze} for frames already at the model's input size (no resize).
     */
    static Map<String, Double> breakdown(Model model, long maxArenaBytes, int minCells, List<byte[]> frames,
                                         int height, int width) {
        if (model.graph().input().height() != height || model.graph().input().width() != width) {
            return Map.of();
        }
        InferenceEngine engine = InferenceEngine.builder(model).maxArenaBytes(maxArenaBytes).build();
        IouTracker tracker = new IouTracker(TRACKER_MIN_IOU, TRACKER_MAX_AGE);
        long pack = 0;
        long run = 0;
        long instances = 0;
        long track = 0;
        byte[] foreground = null;
        for (int i = 0; i < frames.size(); i++) {
            long t0 = System.nanoTime();
            ImagePacker.pack(frames.get(i), engine.input());
            long t1 = System.nanoTime();
            engine.run();
            long t2 = System.nanoTime();
            BitTensor map = (BitTensor) engine.output(FrameAnalyzer.FOREGROUND_OUTPUT);
            int rows = map.spec().height();
            int cols = map.spec().width();
            if (foreground == null) {
                foreground = new byte[rows * cols];
            }
            for (int r = 0; r < rows; r++) {
                int at = map.index(0, 0, r, 0);
                for (int c = 0; c < cols; c++) {
                    foreground[r * cols + c] = (byte) (map.data()[at + c] & 1);
                }
            }
            List<MaskInstance> found = ComponentInstances.extract(foreground, new FrameGrid(rows, cols, height, width),
                    minCells, 0, 1f);
            long t3 = System.nanoTime();
            List<IouTracker.Detection> detections = new ArrayList<>(found.size());
            for (MaskInstance m : found) {
                detections.add(new IouTracker.Detection(m.classId(), m.box()));
            }
            tracker.update(i, detections);
            long t4 = System.nanoTime();
            if (i >= frames.size() / 4) { // the first quarter warms the JIT up
                pack += t1 - t0;
                run += t2 - t1;
                instances += t3 - t2;
                track += t4 - t3;
            }
        }
        double n = frames.size() - frames.size() / 4;
        Map<String, Double> ms = new LinkedHashMap<>();
        ms.put("pack_ms", pack / n / 1e6);
        ms.put("engine_run_ms", run / n / 1e6);
        ms.put("instances_ms", instances / n / 1e6);
        ms.put("tracker_ms", track / n / 1e6);
        return ms;
    }
}
