package io.bitvision.engine.instance;

import io.bitvision.engine.post.CocoRle;
import io.bitvision.engine.track.Box;

/**
 * Turns a grid of mask logits into a full-frame {@link MaskInstance}: bilinear resize of the logits (PyTorch
 * semantics, see {@link BilinearAxis}), pixel on where the logit exceeds a threshold. One frame size at a time;
 * the tables and the frame-sized scratch mask are rebuilt only when the frame size changes. Not thread-safe.
 */
final class LogitMaskRenderer {
    private final int rows;
    private final int cols;
    /** log(t / (1 - t)): sigmoid(logit) > t exactly when logit > this. */
    private final double logitThreshold;
    private BilinearAxis yAxis;
    private BilinearAxis xAxis;
    /** All zero between calls: each render clears what it set. */
    private byte[] mask = new byte[0];
    /**
     * Map rows interpolated along x, [map row - first row][frame column]: the first half of the bilinear sum,
     * shared by all frame rows that read the same map row. Same operations, same order as the full formula.
     */
    private double[] rowLogits = new double[0];
    /** Per entry of {@link #rowLogits}: nonzero when either of its two cells is on. */
    private byte[] rowOn = new byte[0];

    LogitMaskRenderer(int rows, int cols, double probabilityThreshold) {
        this.rows = rows;
        this.cols = cols;
        this.logitThreshold = Math.log(probabilityThreshold / (1.0 - probabilityThreshold));
    }

    void frameSize(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("frame must be at least 1x1, got " + height + "x" + width);
        }
        if (yAxis == null || yAxis.outSize() != height || xAxis.outSize() != width) {
            yAxis = new BilinearAxis(rows, height);
            xAxis = new BilinearAxis(cols, width);
            mask = new byte[Math.multiplyExact(height, width)];
        }
    }

    /**
     * Renders only the pixels that read from cells within two of the on cells' bounding box; every other pixel
     * reads four off cells and so stays off (see {@link #render(float[], byte[], int, float, int, int, int, int)}).
     *
     * @return the instance, or null when no pixel of the frame is on
     */
    MaskInstance renderNear(float[] logits, byte[] cellOn, int classId, float score,
                            int topCell, int bottomCell, int leftCell, int rightCell) {
        return render(logits, cellOn, classId, score,
                yAxis.firstReadingFrom(topCell - 2), yAxis.endReadingUpTo(bottomCell + 2),
                xAxis.firstReadingFrom(leftCell - 2), xAxis.endReadingUpTo(rightCell + 2));
    }

    /**
     * Renders pixel rows [top, bottom) and columns [left, right); pixels outside stay off.
     *
     * @param logits row-major cells of the map, rows x cols
     * @param cellOn per cell, nonzero where the cell's probability passes the mask threshold
     */
    MaskInstance render(float[] logits, byte[] cellOn, int classId, float score,
                        int top, int bottom, int left, int right) {
        int height = yAxis.outSize();
        int width = xAxis.outSize();
        if (top >= bottom || left >= right) {
            return null;
        }
        int firstRow = yAxis.lower(top);
        interpolateRows(logits, cellOn, firstRow, yAxis.upper(bottom - 1), left, right);
        int minX = width;
        int maxX = -1;
        int minY = height;
        int maxY = -1;
        long area = 0;
        for (int y = top; y < bottom; y++) {
            double ly = yAxis.upperWeight(y);
            double hy = 1.0 - ly;
            int lowRow = (yAxis.lower(y) - firstRow) * width;
            int highRow = (yAxis.upper(y) - firstRow) * width;
            int rowStart = y * width;
            int rowArea = 0;
            for (int x = left; x < right; x++) {
                double value = hy * rowLogits[lowRow + x] + ly * rowLogits[highRow + x];
                // A weighted average of four off cells is off; testing the cells too keeps that exact under
                // rounding, so rendering near the on cells equals rendering the whole frame.
                if (value > logitThreshold && (rowOn[lowRow + x] | rowOn[highRow + x]) != 0) {
                    mask[rowStart + x] = 1;
                    rowArea++;
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                }
            }
            if (rowArea > 0) {
                area += rowArea;
                minY = Math.min(minY, y);
                maxY = y;
            }
        }
        if (area == 0) {
            return null;
        }
        int[] counts = CocoRle.counts(mask, height, width, minX, minY, maxX + 1, maxY + 1);
        for (int y = minY; y <= maxY; y++) {
            java.util.Arrays.fill(mask, y * width + minX, y * width + maxX + 1, (byte) 0);
        }
        Box box = new Box(minX, minY, maxX - minX + 1, maxY - minY + 1);
        return new MaskInstance(classId, score, box, area, counts);
    }

    private void interpolateRows(float[] logits, byte[] cellOn, int firstRow, int lastRow, int left, int right) {
        int width = xAxis.outSize();
        int needed = (lastRow - firstRow + 1) * width;
        if (rowLogits.length < needed) {
            rowLogits = new double[needed];
            rowOn = new byte[needed];
        }
        for (int r = firstRow; r <= lastRow; r++) {
            int cells = r * cols;
            int to = (r - firstRow) * width;
            for (int x = left; x < right; x++) {
                int x0 = cells + xAxis.lower(x);
                int x1 = cells + xAxis.upper(x);
                double lx = xAxis.upperWeight(x);
                rowLogits[to + x] = (1.0 - lx) * logits[x0] + lx * logits[x1];
                rowOn[to + x] = (byte) (cellOn[x0] | cellOn[x1]);
            }
        }
    }
}
