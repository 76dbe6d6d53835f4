package io.bitvision.engine.instance;

/**
 * Instance centres on a heatmap: cells whose heat reaches the peak threshold and is at least that of each of
 * their (up to 8) neighbours inside the grid. Keeps the best {@code capacity} of them, by heat descending, ties
 * by raster index ascending. Reuses its arrays: not thread-safe.
 */
public final class CenterPeaks {
    private final int rows;
    private final int cols;
    private final float threshold;
    /** Kept peaks, best first: raster index and heat. */
    private final int[] cells;
    private final float[] heats;
    private int count;

    public CenterPeaks(int rows, int cols, float threshold, int capacity) {
        this.rows = rows;
        this.cols = cols;
        this.threshold = threshold;
        cells = new int[capacity];
        heats = new float[capacity];
    }

    /**
     * Finds the peaks of one heatmap.
     *
     * @param heat row-major heat values starting at {@code from}
     * @return how many were kept; {@link #cell(int)} gives them, best first
     */
    public int find(float[] heat, int from) {
        count = 0;
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                float h = heat[from + y * cols + x];
                if (h >= threshold && isLocalMaximum(heat, from, y, x, h)) {
                    keep(y * cols + x, h);
                }
            }
        }
        return count;
    }

    public int cell(int rank) {
        return cells[rank];
    }

    private boolean isLocalMaximum(float[] heat, int from, int y, int x, float h) {
        for (int ny = Math.max(0, y - 1); ny <= Math.min(rows - 1, y + 1); ny++) {
            for (int nx = Math.max(0, x - 1); nx <= Math.min(cols - 1, x + 1); nx++) {
                if (heat[from + ny * cols + nx] > h) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Cells arrive in raster order, so a newcomer goes after every kept peak of equal heat. */
    private void keep(int cell, float h) {
        int at = count;
        while (at > 0 && heats[at - 1] < h) {
            at--;
        }
        if (at == cells.length) {
            return;
        }
        int last = Math.min(count, cells.length - 1);
        System.arraycopy(cells, at, cells, at + 1, last - at);
        System.arraycopy(heats, at, heats, at + 1, last - at);
        cells[at] = cell;
        heats[at] = h;
        count = Math.min(count + 1, cells.length);
    }
}
