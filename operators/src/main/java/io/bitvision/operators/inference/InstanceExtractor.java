package io.bitvision.operators.inference;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.instance.MaskInstance;
import io.bitvision.engine.instance.InstanceDecoders;
import io.bitvision.engine.model.Model;
import java.util.List;

/**
 * Turns a model's outputs, after {@link InferenceEngine#run()}, into full-frame instances. Which one a model needs
 * follows from its outputs and metadata ({@link #forModel}). Implementations keep per-frame buffers, so they are
 * not thread-safe: one per engine.
 */
public interface InstanceExtractor {
    /** Instances in the pixels of a {@code frameHeight x frameWidth} frame. */
    List<MaskInstance> extract(InferenceEngine engine, int frameHeight, int frameWidth);

    /**
     * Per-instance masks when the model has an instance decoder ({@link InstanceDecoders#forModel}), otherwise
     * components of its one-channel "foreground" map.
     *
     * @param minCells for foreground models: components smaller than this many map cells are noise
     */
    static InstanceExtractor forModel(Model model, int minCells) {
        return InstanceDecoders.forModel(model).<InstanceExtractor>map(DecodedInstances::new)
                .orElseGet(() -> new ForegroundComponents(model, minCells));
    }
}
