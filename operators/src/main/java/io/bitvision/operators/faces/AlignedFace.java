package io.bitvision.operators.faces;

import io.bitvision.engine.face.FaceAligner;
import io.bitvision.engine.track.Box;

/**
 * An embedder's input for one face, as float NCHW (R, G, B planes, values 0-255), the SFace convention: either the
 * 5-point similarity alignment of {@link #fromLandmarks} (SFace's own, for detectors that give landmarks) or a plain
 * box crop resized to a square ({@link #crop}).
 *
 * <p>The box is rounded outwards to whole pixels and clipped to the frame (never empty). The resize is bilinear
 * with pixel centres mapped as PyTorch's {@code interpolate(align_corners=False)} maps them: {@code src =
 * max(0, (dst + 0.5) * in / out - 0.5)}, lower neighbour {@code floor(src)}, upper {@code min(lower + 1, in - 1)};
 * the training side's {@code face_onnx.crop_resize} is the same function.
 */
public final class AlignedFace {
    /** SFace's input side. */
    public static final int SFACE_SIZE = FaceAligner.SIZE;

    private AlignedFace() {}

    /**
     * The 112x112 crop aligned by {@code landmarks}: x, y of the eyes, the nose tip and the mouth corners in the
     * order of {@link FaceAligner}. {@code rgb} is {@code height x width x 3}, row-major.
     *
     * @throws IllegalArgumentException for landmarks that are not finite, all equal or collinear
     */
    public static float[] fromLandmarks(byte[] rgb, int height, int width, float[] landmarks) {
        float[] out = new float[3 * SFACE_SIZE * SFACE_SIZE];
        FaceAligner.align(rgb, height, width, landmarks, out);
        return out;
    }

    /** {@code rgb} is {@code height x width x 3}, row-major; the result is {@code 3 x size x size}. */
    public static float[] crop(byte[] rgb, int height, int width, Box box, int size) {
        if (rgb.length != height * width * 3) {
            throw new IllegalArgumentException("rgb has " + rgb.length + " bytes, not " + height + "x" + width + "x3");
        }
        int x0 = clamp((int) Math.floor(box.x()), 0, width - 1);
        int y0 = clamp((int) Math.floor(box.y()), 0, height - 1);
        int x1 = Math.max(x0 + 1, clamp((int) Math.ceil(box.x() + box.width()), 0, width));
        int y1 = Math.max(y0 + 1, clamp((int) Math.ceil(box.y() + box.height()), 0, height));
        Samples xs = new Samples(x1 - x0, size);
        Samples ys = new Samples(y1 - y0, size);
        float[] out = new float[3 * size * size];
        int plane = size * size;
        for (int dy = 0; dy < size; dy++) {
            int top = ((y0 + ys.lower[dy]) * width + x0) * 3;
            int bottom = ((y0 + ys.upper[dy]) * width + x0) * 3;
            double ty = ys.weight[dy];
            for (int dx = 0; dx < size; dx++) {
                int left = xs.lower[dx] * 3;
                int right = xs.upper[dx] * 3;
                double tx = xs.weight[dx];
                for (int c = 0; c < 3; c++) {
                    double upperRow = (1 - tx) * (rgb[top + left + c] & 0xFF) + tx * (rgb[top + right + c] & 0xFF);
                    double lowerRow = (1 - tx) * (rgb[bottom + left + c] & 0xFF) + tx * (rgb[bottom + right + c] & 0xFF);
                    out[c * plane + dy * size + dx] = (float) ((1 - ty) * upperRow + ty * lowerRow);
                }
            }
        }
        return out;
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(v, max));
    }

    /** For each output position along one axis: the two source neighbours and the weight of the upper one. */
    private static final class Samples {
        final int[] lower;
        final int[] upper;
        final double[] weight;

        Samples(int in, int out) {
            lower = new int[out];
            upper = new int[out];
            weight = new double[out];
            double scale = (double) in / out;
            for (int d = 0; d < out; d++) {
                double src = Math.max(0.0, (d + 0.5) * scale - 0.5);
                lower[d] = (int) src;
                upper[d] = Math.min(lower[d] + 1, in - 1);
                weight[d] = src - lower[d];
            }
        }
    }
}
