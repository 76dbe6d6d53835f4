package io.bitvision.operators.inference;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.instance.MaskInstance;
import io.bitvision.engine.instance.SparseInstDecoder;
import java.util.List;

/** Instances of a SparseInst-style model: one scored mask per instance query, decoded at the frame's size. */
public final class SparseInstInstances implements InstanceExtractor {
    private final SparseInstDecoder decoder;

    public SparseInstInstances(SparseInstDecoder decoder) {
        this.decoder = decoder;
    }

    public SparseInstDecoder decoder() {
        return decoder;
    }

    @Override
    public List<MaskInstance> extract(InferenceEngine engine, int frameHeight, int frameWidth) {
        return decoder.decode(engine, frameHeight, frameWidth);
    }
}
