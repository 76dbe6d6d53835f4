package io.bitvision.engine.instance;

/**
 * How a map of {@code rows x cols} cells covers a frame of {@code height x width} pixels by nearest neighbour:
 * cell (r, c) covers pixel rows [rowStart(r), rowStart(r + 1)) and likewise columns. A map finer than the frame
 * (a small frame upscaled to the model's input) has cells that cover no pixel.
 */
public record FrameGrid(int rows, int cols, int height, int width) {
    public FrameGrid {
        if (rows < 1 || cols < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("grid " + rows + "x" + cols + " cannot cover frame " + height + "x" + width);
        }
    }

    public int rowStart(int row) {
        return (int) ((long) row * height / rows);
    }

    public int colStart(int col) {
        return (int) ((long) col * width / cols);
    }

    public int rowSpan(int row) {
        return rowStart(row + 1) - rowStart(row);
    }

    public int colSpan(int col) {
        return colStart(col + 1) - colStart(col);
    }
}
