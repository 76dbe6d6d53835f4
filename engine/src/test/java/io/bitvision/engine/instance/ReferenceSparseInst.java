package io.bitvision.engine.instance;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The sparseinst-v1 decoding written out plainly for tests: double precision throughout, every frame pixel
 * evaluated, nothing reused. Also reports how close each decision came to its threshold, so a test can tell a
 * real difference from a rounding tie.
 */
final class ReferenceSparseInst {
    /** One instance before the keep decision, with its full-frame logits when it was kept. */
    record Candidate(int index, double score, int onCells, double closestCellMargin, double[] frameLogits) {}

    /** Every instance's final score and, for those that pass the thresholds, the full-frame logits. */
    static List<Candidate> candidates(InferenceEngine engine, double scoreThreshold, double maskThreshold,
                                      int frameHeight, int frameWidth) {
        Tensor iam = engine.output("iam");
        Tensor heads = engine.output("heads");
        Tensor features = engine.output("mask_features");
        TensorSpec is = iam.spec();
        TensorSpec fs = features.spec();
        int d = fs.channels();
        double logitThreshold = Math.log(maskThreshold / (1 - maskThreshold));
        List<Candidate> out = new ArrayList<>();
        for (int n = 0; n < is.channels(); n++) {
            double sum = 0;
            for (int y = 0; y < is.height(); y++) {
                for (int x = 0; x < is.width(); x++) {
                    sum += iam.floatValue(n, y, x);
                }
            }
            double[] v = new double[3 + d];
            for (int c = 0; c < v.length; c++) {
                double weighted = 0;
                for (int y = 0; y < is.height(); y++) {
                    for (int x = 0; x < is.width(); x++) {
                        weighted += (double) iam.floatValue(n, y, x) * heads.floatValue(c, y, x);
                    }
                }
                v[c] = weighted / (sum + 1e-6f);
            }
            double score = Math.sqrt(sigmoid(v[0]) * sigmoid(v[1]));
            double[][] cellLogits = new double[fs.height()][fs.width()];
            double probabilities = 0;
            int onCells = 0;
            double closest = Double.POSITIVE_INFINITY;
            for (int y = 0; y < fs.height(); y++) {
                for (int x = 0; x < fs.width(); x++) {
                    double m = v[2 + d];
                    for (int c = 0; c < d; c++) {
                        m += v[2 + c] * features.intValue(c, y, x);
                    }
                    cellLogits[y][x] = m;
                    closest = Math.min(closest, Math.abs(m - logitThreshold));
                    double p = sigmoid(m);
                    if (p > maskThreshold) {
                        probabilities += p;
                        onCells++;
                    }
                }
            }
            double finalScore = score * (onCells == 0 ? 0 : probabilities / onCells);
            double[] frame = null;
            if (finalScore >= scoreThreshold && onCells > 0) {
                frame = resize(cellLogits, frameHeight, frameWidth);
            }
            out.add(new Candidate(n, finalScore, onCells, closest, frame));
        }
        return out;
    }

    /** What the decoder must return: kept, non-empty, best first, at most {@code maxInstances}. */
    static List<Candidate> expected(List<Candidate> candidates, double maskThreshold, int maxInstances) {
        return candidates.stream()
                .filter(c -> c.frameLogits() != null && anyOn(c.frameLogits(), maskThreshold))
                .sorted(Comparator.comparingDouble(Candidate::score).reversed().thenComparingInt(Candidate::index))
                .limit(maxInstances)
                .toList();
    }

    static boolean anyOn(double[] frameLogits, double maskThreshold) {
        for (double logit : frameLogits) {
            if (sigmoid(logit) > maskThreshold) {
                return true;
            }
        }
        return false;
    }

    /** PyTorch F.interpolate(mode="bilinear", align_corners=False), one pixel at a time. */
    static double[] resize(double[][] cells, int height, int width) {
        int rows = cells.length;
        int cols = cells[0].length;
        double[] out = new double[height * width];
        for (int y = 0; y < height; y++) {
            double sy = Math.max(0, (y + 0.5) * rows / height - 0.5);
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(y0 + 1, rows - 1);
            double wy = sy - y0;
            for (int x = 0; x < width; x++) {
                double sx = Math.max(0, (x + 0.5) * cols / width - 0.5);
                int x0 = (int) Math.floor(sx);
                int x1 = Math.min(x0 + 1, cols - 1);
                double wx = sx - x0;
                out[y * width + x] = (1 - wy) * ((1 - wx) * cells[y0][x0] + wx * cells[y0][x1])
                        + wy * ((1 - wx) * cells[y1][x0] + wx * cells[y1][x1]);
            }
        }
        return out;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private ReferenceSparseInst() {}
}
