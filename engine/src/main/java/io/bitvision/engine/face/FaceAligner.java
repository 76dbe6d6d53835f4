package io.bitvision.engine.face;

/**
 * Warps an RGB frame to SFace's 112x112 face crop by the similarity that takes the detector's five landmarks to
 * {@link #TEMPLATE}, the alignment of OpenCV's {@code FaceRecognizerSF}. The crop is float NCHW (R, G, B planes,
 * values 0-255).
 *
 * <p>Coordinates are continuous with pixel {@code (i, j)} covering {@code [i, i + 1) x [j, j + 1)}. Each output
 * pixel's centre {@code (x + 0.5, y + 0.5)} goes through the inverse transform to a frame point {@code (u, v)},
 * sampled bilinearly between the centres of the four pixels around {@code (u - 0.5, v - 0.5)}; a neighbour
 * outside the frame reads 0. (OpenCV's {@code warpAffine} maps pixel indices instead of centres; for the same
 * landmarks that shifts the crop by {@code 0.5 (1 - 1 / s)} pixels, {@code s} the transform's scale.)
 */
public final class FaceAligner {
    /** Side of the square crop. */
    public static final int SIZE = 112;

    /** Number of landmark values: x, y of five points. */
    public static final int LANDMARK_VALUES = 10;

    /**
     * Where the landmarks land in the crop, as interleaved x, y: the eye, then the mouth corner, on the image's left
     * (the person's right; YuNet's first point) before the one on its right, the nose tip between them.
     */
    private static final double[] TEMPLATE = {
        38.2946, 51.6963, // left eye
        73.5318, 51.5014, // right eye
        56.0252, 71.7366, // nose tip
        41.5493, 92.3655, // left mouth corner
        70.7299, 92.2041, // right mouth corner
    };

    private FaceAligner() {}

    /** The template as interleaved x, y (a copy). */
    public static double[] template() {
        return TEMPLATE.clone();
    }

    /** The least-squares similarity from the frame's {@code landmarks} (x, y of five points) to the crop. */
    public static SimilarityTransform frameToCrop(float[] landmarks) {
        if (landmarks.length != LANDMARK_VALUES) {
            throw new IllegalArgumentException("need " + LANDMARK_VALUES + " landmark values (x, y of 5 points), not "
                    + landmarks.length);
        }
        double[] from = new double[LANDMARK_VALUES];
        for (int i = 0; i < LANDMARK_VALUES; i++) {
            from[i] = landmarks[i];
        }
        return SimilarityTransform.estimate(from, TEMPLATE);
    }

    /**
     * Writes the aligned crop of {@code rgb} ({@code height x width x 3}, row-major) into {@code out}
     * ({@code 3 x 112 x 112}).
     *
     * @throws IllegalArgumentException on wrong sizes, or landmarks that are not finite, all equal or collinear
     */
    public static void align(byte[] rgb, int height, int width, float[] landmarks, float[] out) {
        warp(rgb, height, width, frameToCrop(landmarks).inverse(), out);
    }

    /** {@link #align}'s warp for a known transform, {@code cropToFrame} taking crop points to frame points. */
    public static void warp(byte[] rgb, int height, int width, SimilarityTransform cropToFrame, float[] out) {
        if (height < 1 || width < 1 || rgb.length != height * width * 3) {
            throw new IllegalArgumentException("rgb has " + rgb.length + " bytes, not " + height + "x" + width + "x3");
        }
        if (out.length != 3 * SIZE * SIZE) {
            throw new IllegalArgumentException("out has " + out.length + " floats, not 3x" + SIZE + "x" + SIZE);
        }
        int plane = SIZE * SIZE;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double u = cropToFrame.mapX(x + 0.5, y + 0.5) - 0.5;
                double v = cropToFrame.mapY(x + 0.5, y + 0.5) - 0.5;
                int o = y * SIZE + x;
                // Out of reach (or beyond int range): all four neighbours lie outside the frame.
                if (!(u > -1 && u < width && v > -1 && v < height)) {
                    out[o] = 0f;
                    out[plane + o] = 0f;
                    out[2 * plane + o] = 0f;
                    continue;
                }
                int left = (int) Math.floor(u);
                int top = (int) Math.floor(v);
                double fx = u - left;
                double fy = v - top;
                if (left >= 0 && top >= 0 && left + 1 < width && top + 1 < height) {
                    int topLeft = (top * width + left) * 3;
                    int bottomLeft = topLeft + width * 3;
                    for (int c = 0; c < 3; c++) {
                        double upper = (1 - fx) * (rgb[topLeft + c] & 0xFF) + fx * (rgb[topLeft + 3 + c] & 0xFF);
                        double lower = (1 - fx) * (rgb[bottomLeft + c] & 0xFF) + fx * (rgb[bottomLeft + 3 + c] & 0xFF);
                        out[c * plane + o] = (float) ((1 - fy) * upper + fy * lower);
                    }
                } else {
                    for (int c = 0; c < 3; c++) {
                        double upper = (1 - fx) * read(rgb, height, width, top, left, c)
                                + fx * read(rgb, height, width, top, left + 1, c);
                        double lower = (1 - fx) * read(rgb, height, width, top + 1, left, c)
                                + fx * read(rgb, height, width, top + 1, left + 1, c);
                        out[c * plane + o] = (float) ((1 - fy) * upper + fy * lower);
                    }
                }
            }
        }
    }

    private static int read(byte[] rgb, int height, int width, int row, int column, int channel) {
        if (row < 0 || row >= height || column < 0 || column >= width) {
            return 0;
        }
        return rgb[(row * width + column) * 3 + channel] & 0xFF;
    }
}
