package io.bitvision.engine.instance;

import java.util.Comparator;
import java.util.List;

/**
 * The steps the decoders share, written out plainly for the reference decoders of the tests: double precision,
 * every frame pixel evaluated, nothing reused. Also reports how close each decision came to its threshold, so a
 * test can tell a real difference from a rounding tie.
 */
final class ReferenceDecoding {
    /**
     * One candidate before the keep decision, with its full-frame logits when it was kept.
     *
     * @param index the candidate's place in the decoder's own order (instance query, peak rank)
     */
    record Candidate(int index, double score, int onCells, double closestCellMargin, double[] frameLogits) {}

    /** The mask-score step and, when the candidate passes, the resize to the frame. */
    static Candidate candidate(int index, double score, double[][] cellLogits, double scoreThreshold,
                               double maskThreshold, int frameHeight, int frameWidth) {
        double logitThreshold = Math.log(maskThreshold / (1 - maskThreshold));
        double probabilities = 0;
        int onCells = 0;
        double closest = Double.POSITIVE_INFINITY;
        for (double[] row : cellLogits) {
            for (double m : row) {
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
        return new Candidate(index, finalScore, onCells, closest, frame);
    }

    /** What a decoder must return: kept, non-empty, best first, at most {@code maxInstances}. */
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

    private ReferenceDecoding() {}
}
