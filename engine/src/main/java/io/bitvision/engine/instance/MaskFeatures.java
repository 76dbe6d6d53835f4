package io.bitvision.engine.instance;

import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.Arrays;

/**
 * The mask_features output as numbers, [D][h4 * w4]: unpacked once per frame, read once per instance by the
 * linear part of the mask logits, kernel . features + bias.
 */
final class MaskFeatures {
    private final int channels;
    private final int rows;
    private final int cols;
    private final float[] values;

    MaskFeatures(TensorSpec spec) {
        channels = spec.channels();
        rows = spec.height();
        cols = spec.width();
        values = new float[Math.multiplyExact(channels, rows * cols)];
    }

    int cells() {
        return rows * cols;
    }

    void unpack(Tensor features) {
        int i = 0;
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    values[i++] = features.intValue(c, y, x);
                }
            }
        }
    }

    /** sums[p] = bias + sum over c of kernel[kernelFrom + c] * features[c][p], in that order. */
    void linear(double[] kernel, int kernelFrom, double bias, double[] sums) {
        int cells = cells();
        Arrays.fill(sums, 0, cells, bias);
        for (int c = 0; c < channels; c++) {
            double weight = kernel[kernelFrom + c];
            int from = c * cells;
            for (int p = 0; p < cells; p++) {
                sums[p] += weight * values[from + p];
            }
        }
    }
}
