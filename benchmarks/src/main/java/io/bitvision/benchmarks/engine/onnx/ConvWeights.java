package io.bitvision.benchmarks.engine.onnx;

import java.util.Random;

/** Float weights [outC, inC / groups, kH, kW] and bias [outC] of one convolution. */
public record ConvWeights(float[] weight, float[] bias) {

    /** Weights then bias, drawn uniform in [-1, 1) from one {@code Random(seed)}. */
    public static ConvWeights random(ConvShape shape, long seed) {
        Random random = new Random(seed);
        return new ConvWeights(
                uniform(random, shape.weightCount()),
                uniform(random, shape.outChannels()));
    }

    static float[] uniform(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = random.nextFloat() * 2f - 1f;
        }
        return values;
    }
}
