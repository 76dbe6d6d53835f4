package io.bitvision.operators.inference;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.instance.InstanceDecoder;
import io.bitvision.engine.instance.MaskInstance;
import java.util.List;

/** Instances of a model with an instance decoder: one scored mask per instance, decoded at the frame's size. */
public final class DecodedInstances implements InstanceExtractor {
    private final InstanceDecoder decoder;

    public DecodedInstances(InstanceDecoder decoder) {
        this.decoder = decoder;
    }

    public InstanceDecoder decoder() {
        return decoder;
    }

    @Override
    public List<MaskInstance> extract(InferenceEngine engine, int frameHeight, int frameWidth) {
        return decoder.decode(engine, frameHeight, frameWidth);
    }
}
