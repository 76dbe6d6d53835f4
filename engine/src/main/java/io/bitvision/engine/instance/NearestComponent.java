package io.bitvision.engine.instance;

import java.util.Arrays;

/**
 * Keeps, of one candidate's on cells, the 4-connected piece nearest its centre and switches the other pieces off
 * by moving their logits far below any threshold, so that a person's mask does not carry stray blobs of other
 * people (which would also stretch its box). Metadata {@code mask_component=nearest}; training/'s person/decode.py does
 * the same. Not thread-safe: scratch arrays are reused.
 */
final class NearestComponent {
    /** Far below any mask threshold's logit, and exact in float: removed cells stay off after the bilinear resize. */
    static final float OFF_LOGIT = -1.0e4f;

    private final int rows;
    private final int cols;
    private final int[] queue;
    private final boolean[] reached;

    NearestComponent(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        this.queue = new int[rows * cols];
        this.reached = new boolean[rows * cols];
    }

    /**
     * @param centreU centre column in normalised image coordinates (cell x at (x + 0.5) / cols)
     * @param centreV centre row, likewise
     */
    void keep(float[] logits, float maskThreshold, double centreU, double centreV) {
        int seed = -1;
        double nearest = Double.POSITIVE_INFINITY;
        for (int p = 0; p < logits.length; p++) {
            if (on(logits[p], maskThreshold)) {
                double du = (p % cols + 0.5) / cols - centreU;
                double dv = (p / cols + 0.5) / rows - centreV;
                double d = du * du + dv * dv;
                if (d < nearest) {
                    nearest = d;
                    seed = p;
                }
            }
        }
        if (seed < 0) {
            return;
        }
        Arrays.fill(reached, false);
        int head = 0;
        int tail = 0;
        queue[tail++] = seed;
        reached[seed] = true;
        while (head < tail) {
            int p = queue[head++];
            int y = p / cols;
            int x = p % cols;
            if (y > 0) {
                tail = visit(logits, maskThreshold, p - cols, tail);
            }
            if (y < rows - 1) {
                tail = visit(logits, maskThreshold, p + cols, tail);
            }
            if (x > 0) {
                tail = visit(logits, maskThreshold, p - 1, tail);
            }
            if (x < cols - 1) {
                tail = visit(logits, maskThreshold, p + 1, tail);
            }
        }
        for (int p = 0; p < logits.length; p++) {
            if (!reached[p] && on(logits[p], maskThreshold)) {
                logits[p] = OFF_LOGIT;
            }
        }
    }

    private int visit(float[] logits, float maskThreshold, int p, int tail) {
        if (!reached[p] && on(logits[p], maskThreshold)) {
            reached[p] = true;
            queue[tail++] = p;
        }
        return tail;
    }

    /** The rule CandidateMasks marks on cells with. */
    static boolean on(float logit, float maskThreshold) {
        return 1.0 / (1.0 + Math.exp(-logit)) > maskThreshold;
    }
}
