package io.bitvision.engine.instance;

import io.bitvision.engine.track.Box;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a low-resolution foreground map into 4-connected components and describes each as a full-frame
 * instance. Components are numbered in row-major order of their first cell, so the output is deterministic.
 * Used by models whose head gives one foreground map rather than per-instance masks.
 */
public final class ComponentInstances {
    private ComponentInstances() {}

    /**
     * @param foreground row-major cells, nonzero = foreground
     * @param minCells   components smaller than this many cells are dropped as noise
     */
    public static List<MaskInstance> extract(byte[] foreground, FrameGrid grid, int minCells, int classId, float score) {
        int rows = grid.rows();
        int cols = grid.cols();
        if (foreground.length != rows * cols) {
            throw new IllegalArgumentException("map has " + foreground.length + " cells, grid " + rows + "x" + cols);
        }
        int[] labels = new int[rows * cols];
        int[] queue = new int[rows * cols];
        List<MaskInstance> instances = new ArrayList<>();
        int next = 0;
        for (int start = 0; start < labels.length; start++) {
            if (foreground[start] == 0 || labels[start] != 0) {
                continue;
            }
            int label = ++next;
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            labels[start] = label;
            while (head < tail) {
                int cell = queue[head++];
                int r = cell / cols;
                int c = cell % cols;
                if (r > 0) {
                    tail = visit(foreground, labels, queue, tail, cell - cols, label);
                }
                if (r < rows - 1) {
                    tail = visit(foreground, labels, queue, tail, cell + cols, label);
                }
                if (c > 0) {
                    tail = visit(foreground, labels, queue, tail, cell - 1, label);
                }
                if (c < cols - 1) {
                    tail = visit(foreground, labels, queue, tail, cell + 1, label);
                }
            }
            if (tail >= minCells) {
                MaskInstance instance = describe(labels, label, queue, tail, grid, classId, score);
                if (instance.area() > 0) {
                    instances.add(instance);
                }
            }
        }
        return instances;
    }

    private static int visit(byte[] foreground, int[] labels, int[] queue, int tail, int cell, int label) {
        if (foreground[cell] != 0 && labels[cell] == 0) {
            labels[cell] = label;
            queue[tail++] = cell;
        }
        return tail;
    }

    private static MaskInstance describe(int[] labels, int label, int[] cells, int count, FrameGrid grid, int classId,
                                         float score) {
        int cols = grid.cols();
        int minCol = Integer.MAX_VALUE;
        int maxCol = -1;
        int left = Integer.MAX_VALUE;
        int top = Integer.MAX_VALUE;
        int right = 0;
        int bottom = 0;
        long area = 0;
        for (int i = 0; i < count; i++) {
            int r = cells[i] / cols;
            int c = cells[i] % cols;
            minCol = Math.min(minCol, c);
            maxCol = Math.max(maxCol, c);
            long pixels = (long) grid.rowSpan(r) * grid.colSpan(c);
            if (pixels > 0) { // cells of a map finer than the frame may cover nothing
                area += pixels;
                left = Math.min(left, grid.colStart(c));
                right = Math.max(right, grid.colStart(c + 1));
                top = Math.min(top, grid.rowStart(r));
                bottom = Math.max(bottom, grid.rowStart(r + 1));
            }
        }
        Box box = area == 0 ? new Box(0, 0, 0, 0) : new Box(left, top, right - left, bottom - top);
        return new MaskInstance(classId, score, box, area, columnMajorRuns(labels, label, grid, minCol, maxCol));
    }

    /**
     * COCO run lengths over the full frame, column-major. Each frame column is one cell column; runs are built
     * from cell spans, so the cost is per cell, not per pixel.
     */
    static int[] columnMajorRuns(int[] labels, int label, FrameGrid grid, int minCol, int maxCol) {
        RunBuilder runs = new RunBuilder();
        long height = grid.height();
        runs.background((long) grid.colStart(minCol) * height);
        for (int c = minCol; c <= maxCol; c++) {
            for (int x = grid.colStart(c); x < grid.colStart(c + 1); x++) {
                for (int r = 0; r < grid.rows(); r++) {
                    long span = grid.rowSpan(r);
                    if (labels[r * grid.cols() + c] == label) {
                        runs.foreground(span);
                    } else {
                        runs.background(span);
                    }
                }
            }
        }
        runs.background((long) (grid.width() - grid.colStart(maxCol + 1)) * height);
        return runs.counts();
    }

    /** Accumulates alternating background/foreground runs, merging neighbours of the same kind. */
    private static final class RunBuilder {
        private int[] counts = new int[16];
        private int size = 1; // counts[0] is the leading background run, possibly 0
        private boolean inForeground;

        void background(long pixels) {
            add(false, pixels);
        }

        void foreground(long pixels) {
            add(true, pixels);
        }

        private void add(boolean foreground, long pixels) {
            if (pixels == 0) {
                return;
            }
            if (foreground != inForeground) {
                if (size == counts.length) {
                    counts = java.util.Arrays.copyOf(counts, size * 2);
                }
                size++;
                inForeground = foreground;
            }
            counts[size - 1] = Math.toIntExact(counts[size - 1] + pixels);
        }

        int[] counts() {
            int end = size;
            while (end > 1 && counts[end - 1] == 0) {
                end--;
            }
            return java.util.Arrays.copyOf(counts, end);
        }
    }
}
