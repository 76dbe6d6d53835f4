package io.bitvision.engine.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SimilarityTransformTest {
    private static final double[] TEMPLATE = FaceAligner.template();

    private static double[] mapped(SimilarityTransform t, double[] points) {
        double[] out = new double[points.length];
        for (int i = 0; i < points.length; i += 2) {
            out[i] = t.mapX(points[i], points[i + 1]);
            out[i + 1] = t.mapY(points[i], points[i + 1]);
        }
        return out;
    }

    private static SimilarityTransform rotationScale(double degrees, double scale, double tx, double ty) {
        double radians = Math.toRadians(degrees);
        return new SimilarityTransform(scale * Math.cos(radians), scale * Math.sin(radians), tx, ty);
    }

    @Test
    void recoversAnExactSimilarity() {
        SimilarityTransform known = rotationScale(20, 1.7, 31.5, -12.25);
        SimilarityTransform fitted = SimilarityTransform.estimate(TEMPLATE, mapped(known, TEMPLATE));
        assertThat(fitted.a()).isCloseTo(known.a(), within(1e-9));
        assertThat(fitted.b()).isCloseTo(known.b(), within(1e-9));
        assertThat(fitted.tx()).isCloseTo(known.tx(), within(1e-9));
        assertThat(fitted.ty()).isCloseTo(known.ty(), within(1e-9));
        assertThat(fitted.scale()).isCloseTo(1.7, within(1e-9));
        assertThat(Math.toDegrees(fitted.rotation())).isCloseTo(20, within(1e-9));
    }

    @Test
    void leastSquaresOnNoisyPointsSolvesTheNormalEquations() {
        Random random = new Random(3);
        double[] from = new double[10];
        for (int i = 0; i < 10; i++) {
            from[i] = TEMPLATE[i] * 2.3 + (i % 2 == 0 ? 100 : 40);
        }
        double[] to = mapped(rotationScale(-35, 0.6, 5, 7), from);
        for (int i = 0; i < 10; i++) {
            to[i] += random.nextGaussian() * 2;
        }
        double[] reference = normalEquationsSolution(from, to);
        SimilarityTransform fitted = SimilarityTransform.estimate(from, to);
        assertThat(new double[] {fitted.a(), fitted.b(), fitted.tx(), fitted.ty()}).containsExactly(reference,
                within(1e-9));
    }

    /**
     * The reference: {@code x' = a x - b y + tx}, {@code y' = b x + a y + ty} is linear in {@code (a, b, tx, ty)};
     * solve {@code J^T J p = J^T r} by Gaussian elimination.
     */
    private static double[] normalEquationsSolution(double[] from, double[] to) {
        double[][] system = new double[4][5];
        for (int i = 0; i < from.length; i += 2) {
            double x = from[i];
            double y = from[i + 1];
            accumulate(system, new double[] {x, -y, 1, 0}, to[i]);
            accumulate(system, new double[] {y, x, 0, 1}, to[i + 1]);
        }
        for (int pivot = 0; pivot < 4; pivot++) {
            for (int row = pivot + 1; row < 4; row++) {
                double factor = system[row][pivot] / system[pivot][pivot];
                for (int col = pivot; col < 5; col++) {
                    system[row][col] -= factor * system[pivot][col];
                }
            }
        }
        double[] p = new double[4];
        for (int row = 3; row >= 0; row--) {
            double rest = system[row][4];
            for (int col = row + 1; col < 4; col++) {
                rest -= system[row][col] * p[col];
            }
            p[row] = rest / system[row][row];
        }
        return p;
    }

    private static void accumulate(double[][] system, double[] jacobianRow, double residual) {
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                system[r][c] += jacobianRow[r] * jacobianRow[c];
            }
            system[r][4] += jacobianRow[r] * residual;
        }
    }

    @Test
    void neverReflects() {
        double[] mirrored = TEMPLATE.clone();
        for (int i = 0; i < mirrored.length; i += 2) {
            mirrored[i] = -mirrored[i];
        }
        SimilarityTransform fitted = SimilarityTransform.estimate(mirrored, TEMPLATE);
        // A similarity's linear part [[a, -b], [b, a]] has determinant a^2 + b^2: never negative.
        assertThat(fitted.scale()).isGreaterThanOrEqualTo(0);
        assertThat(fitted.scale()).isLessThan(1);
    }

    @Test
    void inverseUndoesTheMapping() {
        SimilarityTransform t = rotationScale(-70, 0.4, -3, 8);
        double[] back = mapped(t.inverse(), mapped(t, TEMPLATE));
        assertThat(back).containsExactly(TEMPLATE, within(1e-12));
    }

    @Test
    void rejectsPointsThatAreAllEqual() {
        double[] same = {5, 7, 5, 7, 5, 7, 5, 7, 5, 7};
        assertThatThrownBy(() -> SimilarityTransform.estimate(same, TEMPLATE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("all equal");
    }

    @Test
    void rejectsCollinearPoints() {
        double[] line = {0, 1, 1, 3, 2, 5, 3, 7, 4, 9};
        assertThatThrownBy(() -> SimilarityTransform.estimate(line, TEMPLATE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("collinear");
        // Float landmarks on a slanted line far from the origin: rounding alone must not make them a plane.
        float[] rounded = new float[10];
        for (int i = 0; i < 5; i++) {
            rounded[2 * i] = (float) (1000.1 + 13.37 * i);
            rounded[2 * i + 1] = (float) (700.3 + 7.91 * i);
        }
        assertThatThrownBy(() -> FaceAligner.frameToCrop(rounded))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("collinear");
    }

    @Test
    void rejectsNonFiniteOrMismatchedPoints() {
        double[] withNaN = TEMPLATE.clone();
        withNaN[3] = Double.NaN;
        assertThatThrownBy(() -> SimilarityTransform.estimate(withNaN, TEMPLATE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> SimilarityTransform.estimate(new double[] {1, 2, 3, 4}, TEMPLATE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimilarityTransform.estimate(new double[] {1, 2}, new double[] {3, 4}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
