package io.bitvision.engine.instance;

import io.bitvision.engine.InferenceEngine;
import java.util.List;

/**
 * Turns the outputs of an instance-segmentation model, after {@link InferenceEngine#run()}, into scored
 * full-frame masks. {@link InstanceDecoders#forModel} picks the implementation a model's metadata names.
 * Implementations keep scratch arrays between calls: use one decoder per thread.
 */
public interface InstanceDecoder {
    /**
     * Instances of the frame the engine last ran on, in frame pixels, best score first.
     *
     * @param engine an engine of this decoder's model (or one with the same outputs), after {@code run()}
     */
    List<MaskInstance> decode(InferenceEngine engine, int frameHeight, int frameWidth);

    /** Final instance score to keep, in [0, 1]. */
    float scoreThreshold();

    /** Mask probability a pixel must exceed to be on, in (0, 1). */
    float maskThreshold();

    /** A decoder for the same model with another score threshold (and its own scratch). */
    InstanceDecoder withScoreThreshold(float threshold);
}
