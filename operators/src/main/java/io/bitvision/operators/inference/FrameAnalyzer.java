package io.bitvision.operators.inference;

import io.bitvision.engine.ImagePacker;
import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.instance.ComponentInstances;
import io.bitvision.engine.instance.FrameGrid;
import io.bitvision.engine.instance.MaskInstance;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;
import io.bitvision.engine.track.IouTracker;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one engine (one arena) over frames of any size: resizes to the model input, infers, turns the model's
 * "foreground" output into instances and tracks them with the camera's tracker. One per Flink subtask; the
 * model is shared. Not thread-safe.
 */
public final class FrameAnalyzer {
    /** Output that models with a single foreground map expose. */
    public static final String FOREGROUND_OUTPUT = "foreground";

    private final Model model;
    private final InferenceEngine engine;
    private final byte[] resized;
    private final byte[] foreground;
    private final int minCells;

    public FrameAnalyzer(Model model, long maxArenaBytes, int minCells) {
        this.model = model;
        this.engine = InferenceEngine.builder(model).maxArenaBytes(maxArenaBytes).build();
        TensorSpec input = model.graph().input();
        if (input.bits() != 8 || input.channels() != 3) {
            throw new IllegalArgumentException("model '" + model.name() + "' does not take 8-bit RGB frames: " + input);
        }
        this.resized = new byte[input.height() * input.width() * 3];
        TensorSpec out = engine.output(FOREGROUND_OUTPUT).spec();
        if (!out.isBinary() || out.channels() != 1) {
            throw new IllegalArgumentException("model '" + model.name() + "' output '" + FOREGROUND_OUTPUT
                    + "' must be a one-channel binary map, is " + out);
        }
        this.foreground = new byte[out.height() * out.width()];
        this.minCells = minCells;
    }

    public Model model() {
        return model;
    }

    public long arenaBytes() {
        return engine.arenaBytes();
    }

    /** Instances of one RGB frame, tracked by {@code tracker} as frame {@code frameSeq}. */
    public List<TrackedInstance> analyze(byte[] rgb, int height, int width, long frameSeq, IouTracker tracker) {
        TensorSpec input = model.graph().input();
        byte[] pixels = rgb;
        if (height != input.height() || width != input.width()) {
            NearestResize.resize(rgb, height, width, resized, input.height(), input.width(), 3);
            pixels = resized;
        }
        ImagePacker.pack(pixels, engine.input());
        engine.run();
        Tensor out = engine.output(FOREGROUND_OUTPUT);
        BitTensor map = (BitTensor) out;
        int rows = map.spec().height();
        int cols = map.spec().width();
        for (int r = 0; r < rows; r++) {
            int at = map.index(0, 0, r, 0);
            for (int c = 0; c < cols; c++) {
                foreground[r * cols + c] = (byte) (map.data()[at + c] & 1);
            }
        }
        List<MaskInstance> instances = ComponentInstances.extract(foreground, new FrameGrid(rows, cols, height, width),
                minCells, 0, 1f);
        List<IouTracker.Detection> detections = new ArrayList<>(instances.size());
        for (MaskInstance instance : instances) {
            detections.add(new IouTracker.Detection(instance.classId(), instance.box()));
        }
        long[] ids = tracker.update(frameSeq, detections);
        List<TrackedInstance> tracked = new ArrayList<>(instances.size());
        for (int i = 0; i < instances.size(); i++) {
            tracked.add(new TrackedInstance(ids[i], instances.get(i)));
        }
        return tracked;
    }
}
