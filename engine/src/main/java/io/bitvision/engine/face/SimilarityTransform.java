package io.bitvision.engine.face;

/**
 * A 2-D similarity (rotation, uniform scale, translation; no reflection): {@code x' = a x - b y + tx},
 * {@code y' = b x + a y + ty}, so {@code a = s cos(theta)} and {@code b = s sin(theta)}.
 */
public record SimilarityTransform(double a, double b, double tx, double ty) {
    /**
     * Minor over major standard deviation of the source points below which they count as collinear. A face's five
     * landmarks sit near 0.5; this only catches points on one line up to float rounding of their coordinates.
     */
    static final double MIN_SPREAD_RATIO = 1e-4;

    public SimilarityTransform {
        if (!Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(tx) || !Double.isFinite(ty)) {
            throw new IllegalArgumentException("non-finite similarity " + a + "," + b + "," + tx + "," + ty);
        }
    }

    /**
     * The similarity that maps {@code from} onto {@code to} with the least sum of squared distances, as Umeyama's
     * method (skimage {@code SimilarityTransform.estimate}, OpenCV {@code estimateAffinePartial2D} without RANSAC).
     * In 2-D that problem is linear in {@code (a, b, tx, ty)}, and this is its closed-form solution; the best
     * unconstrained {@code (a, b)} is always a proper rotation with a scale, so no reflection check is needed.
     *
     * @param from interleaved points {@code x0, y0, x1, y1, ...}; at least two, not all equal, not collinear
     * @param to the same number of interleaved points
     */
    public static SimilarityTransform estimate(double[] from, double[] to) {
        if (from.length != to.length || from.length < 4 || from.length % 2 != 0) {
            throw new IllegalArgumentException("need two equal-length arrays of at least two x, y points, not "
                    + from.length + " and " + to.length + " values");
        }
        int n = from.length / 2;
        double fromX = 0, fromY = 0, toX = 0, toY = 0;
        for (int i = 0; i < n; i++) {
            fromX += from[2 * i];
            fromY += from[2 * i + 1];
            toX += to[2 * i];
            toY += to[2 * i + 1];
        }
        fromX /= n;
        fromY /= n;
        toX /= n;
        toY /= n;
        if (!Double.isFinite(fromX + fromY + toX + toY)) {
            throw new IllegalArgumentException("points must be finite");
        }
        double sxx = 0, syy = 0, sxy = 0, dot = 0, cross = 0;
        for (int i = 0; i < n; i++) {
            double px = from[2 * i] - fromX;
            double py = from[2 * i + 1] - fromY;
            double qx = to[2 * i] - toX;
            double qy = to[2 * i + 1] - toY;
            sxx += px * px;
            syy += py * py;
            sxy += px * py;
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
        }
        requireSpread(sxx, syy, sxy);
        double spread = sxx + syy;
        double a = dot / spread;
        double b = cross / spread;
        return new SimilarityTransform(a, b, toX - (a * fromX - b * fromY), toY - (b * fromX + a * fromY));
    }

    /** Rejects points whose scatter matrix has a (near) zero eigenvalue: all equal or on one line. */
    private static void requireSpread(double sxx, double syy, double sxy) {
        double half = (sxx + syy) / 2;
        double major = half + Math.hypot((sxx - syy) / 2, sxy);
        if (!(major > 0)) {
            throw new IllegalArgumentException("degenerate points: all equal");
        }
        // The product of the eigenvalues is the determinant; dividing avoids major - hypot's cancellation.
        double minor = (sxx * syy - sxy * sxy) / major;
        if (minor < MIN_SPREAD_RATIO * MIN_SPREAD_RATIO * major) {
            throw new IllegalArgumentException("degenerate points: collinear (minor/major spread "
                    + Math.sqrt(Math.max(minor, 0) / major) + ")");
        }
    }

    /** {@code s}: the factor applied to lengths. */
    public double scale() {
        return Math.hypot(a, b);
    }

    /** The counter-clockwise angle in radians, y pointing up; clockwise on screen, where y points down. */
    public double rotation() {
        return Math.atan2(b, a);
    }

    public double mapX(double x, double y) {
        return a * x - b * y + tx;
    }

    public double mapY(double x, double y) {
        return b * x + a * y + ty;
    }

    public SimilarityTransform inverse() {
        double norm = a * a + b * b;
        if (!(norm > 0)) {
            throw new IllegalStateException("a similarity of scale 0 has no inverse");
        }
        double ia = a / norm;
        double ib = -b / norm;
        return new SimilarityTransform(ia, ib, -(ia * tx - ib * ty), -(ib * tx + ia * ty));
    }
}
