package io.bitvision.engine.instance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the decoders share once a candidate's mask logits are known: per candidate slot, the logits and on cells
 * on the mask-feature grid; the mask score (mean probability of the cells above the mask threshold) times the
 * decoder's own score; the best candidates rendered to full-frame masks. Not thread-safe.
 */
final class CandidateMasks {
    private final int cols;
    private final float maskThreshold;
    private final float[][] logits;
    private final byte[][] cellOn;
    private final LogitMaskRenderer renderer;

    CandidateMasks(int slots, int rows, int cols, float maskThreshold) {
        int cells = Math.multiplyExact(rows, cols);
        this.cols = cols;
        this.maskThreshold = maskThreshold;
        logits = new float[slots][cells];
        cellOn = new byte[slots][cells];
        renderer = new LogitMaskRenderer(rows, cols, maskThreshold);
    }

    /** Call before each frame's candidates: checks the size and prepares the resize. */
    void frameSize(int height, int width) {
        renderer.frameSize(height, width);
    }

    /** Where the decoder writes candidate {@code slot}'s mask logits, row-major. */
    float[] logits(int slot) {
        return logits[slot];
    }

    /**
     * Marks the on cells of {@code slot}'s logits and scores it: {@code score} times the mask score.
     *
     * @return the candidate, or null when no cell is on or the final score is below {@code scoreThreshold}
     */
    Candidate score(int slot, double score, float scoreThreshold) {
        float[] cells = logits[slot];
        byte[] on = cellOn[slot];
        int top = Integer.MAX_VALUE;
        int bottom = -1;
        int left = Integer.MAX_VALUE;
        int right = -1;
        double probabilitySum = 0;
        int onCount = 0;
        for (int p = 0; p < cells.length; p++) {
            double probability = 1.0 / (1.0 + Math.exp(-cells[p]));
            if (probability > maskThreshold) {
                on[p] = 1;
                probabilitySum += probability;
                onCount++;
                int row = p / cols;
                int col = p % cols;
                top = Math.min(top, row);
                bottom = Math.max(bottom, row);
                left = Math.min(left, col);
                right = Math.max(right, col);
            } else {
                on[p] = 0;
            }
        }
        if (onCount == 0) {
            return null;
        }
        float finalScore = (float) (score * (probabilitySum / onCount));
        if (finalScore < scoreThreshold) {
            return null;
        }
        return new Candidate(slot, finalScore, top, bottom, left, right);
    }

    /**
     * Full-frame masks of the candidates, best score first (ties by slot), without empty ones, at most
     * {@code maxInstances}. Rendering is the costly step and only decides whether a mask is empty: render best
     * first, stop when full.
     */
    List<MaskInstance> renderBest(List<Candidate> candidates, int maxInstances) {
        candidates.sort(Comparator.comparingDouble(Candidate::score).reversed().thenComparingInt(Candidate::slot));
        List<MaskInstance> instances = new ArrayList<>();
        for (Candidate c : candidates) {
            if (instances.size() == maxInstances) {
                break;
            }
            MaskInstance instance = renderer.renderNear(logits[c.slot], cellOn[c.slot], 0, c.score,
                    c.topCell, c.bottomCell, c.leftCell, c.rightCell);
            if (instance != null) {
                instances.add(instance);
            }
        }
        return instances;
    }

    /** A candidate that passed the thresholds; its logits and on cells are in the scratch rows of its slot. */
    record Candidate(int slot, float score, int topCell, int bottomCell, int leftCell, int rightCell) {}
}
