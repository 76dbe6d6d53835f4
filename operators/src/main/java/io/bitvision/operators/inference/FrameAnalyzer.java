package io.bitvision.operators.inference;

import io.bitvision.engine.NearestResize;
import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.instance.DuplicateInstances;
import io.bitvision.engine.instance.MaskInstance;
import io.bitvision.engine.model.MetadataKeys;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.TensorSpec;
import io.bitvision.engine.track.IouTracker;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one engine (one arena) over frames of any size: resizes to the model input by nearest neighbour (the
 * resize the models are trained on), infers, turns the outputs into full-frame instances with the model's
 * {@link InstanceExtractor} (dropping instances whose masks repeat a higher-scoring one: {@link DuplicateInstances}) and
 * tracks them with the camera's tracker. One per Flink subtask; the model is
 * shared. Not thread-safe.
 */
public final class FrameAnalyzer implements AutoCloseable {
    /** Output that models with a single foreground map expose. */
    public static final String FOREGROUND_OUTPUT = "foreground";

    private final Model model;
    private final InferenceEngine engine;
    private final InstanceExtractor extractor;
    private final byte[] resized;
    /** Wall time spent in detect's steps: resize + pack, engine run, instance extraction. */
    private final long[] stageNanos = new long[3];

    /** The kernel family this analyzer's engine runs. */
    public io.bitvision.engine.kernel.KernelStrategy kernelStrategy() {
        return engine.kernelStrategy();
    }

    public FrameAnalyzer(Model model, long maxArenaBytes, int minCells) {
        this(model, maxArenaBytes, minCells, 1);
    }

    /** With {@code threads} > 1 the engine splits each frame's rows across that many threads; {@link #close()} ends them. */
    public FrameAnalyzer(Model model, long maxArenaBytes, int minCells, int threads) {
        this(model, maxArenaBytes, InstanceExtractor.forModel(model, minCells), threads);
    }

    public FrameAnalyzer(Model model, long maxArenaBytes, InstanceExtractor extractor) {
        this(model, maxArenaBytes, extractor, 1);
    }

    public FrameAnalyzer(Model model, long maxArenaBytes, InstanceExtractor extractor, int threads) {
        TensorSpec input = model.graph().input();
        if (input.bits() != 8 || input.channels() != 3) {
            throw new IllegalArgumentException("model '" + model.name() + "' does not take 8-bit RGB frames: " + input);
        }
        requireMetadata(model, MetadataKeys.INPUT_ORDER, "rgb");
        requireMetadata(model, MetadataKeys.INPUT_RESIZE, "nearest");
        this.model = model;
        this.engine = InferenceEngine.builder(model).maxArenaBytes(maxArenaBytes).threads(threads).build();
        this.extractor = extractor;
        this.resized = new byte[input.height() * input.width() * 3];
    }

    /** The only preprocessing this class does is nearest resize of RGB; a model that declares other needs is refused. */
    private static void requireMetadata(Model model, String key, String supported) {
        String declared = model.metadata().get(key);
        if (declared != null && !declared.strip().equalsIgnoreCase(supported)) {
            throw new IllegalArgumentException("model '" + model.name() + "' declares " + key + "=" + declared
                    + "; frames are fed as " + key + "=" + supported);
        }
    }

    public Model model() {
        return model;
    }

    public InstanceExtractor extractor() {
        return extractor;
    }

    public long arenaBytes() {
        return engine.arenaBytes();
    }

    /** Threads that run each frame. */
    public int threads() {
        return engine.threads();
    }

    /** Stops the engine's own threads, if it has any. */
    @Override
    public void close() {
        engine.close();
    }

    /** Instances of one RGB frame, tracked by {@code tracker} as frame {@code frameSeq}. */
    public List<TrackedInstance> analyze(byte[] rgb, int height, int width, long frameSeq, IouTracker tracker) {
        List<MaskInstance> instances = detect(rgb, height, width);
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

    /** Instances of one RGB frame ({@code height x width x 3} bytes) in its own pixels, untracked. */
    public List<MaskInstance> detect(byte[] rgb, int height, int width) {
        long start = System.nanoTime();
        TensorSpec input = model.graph().input();
        byte[] pixels = rgb;
        if (height != input.height() || width != input.width()) {
            NearestResize.resize(rgb, height, width, resized, input.height(), input.width(), 3);
            pixels = resized;
        }
        engine.packImage(pixels);
        long packed = System.nanoTime();
        engine.run();
        long ran = System.nanoTime();
        List<MaskInstance> instances = DuplicateInstances.suppress(extractor.extract(engine, height, width),
                DuplicateInstances.DEFAULT_MASK_IOU);
        stageNanos[0] += packed - start;
        stageNanos[1] += ran - packed;
        stageNanos[2] += System.nanoTime() - ran;
        return instances;
    }

    /** Nanoseconds spent so far in [resize + pack, engine run, instance extraction] (for benchmarks). */
    public long[] stageNanos() {
        return stageNanos.clone();
    }

    public void resetStageNanos() {
        java.util.Arrays.fill(stageNanos, 0);
    }
}
