package io.bitvision.engine.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NearestComponentTest {
    private static final float T = 0.45f;

    /** rows of '#' (on, logit 3) and '.' (off, logit -3). */
    private static float[] grid(String... rows) {
        float[] logits = new float[rows.length * rows[0].length()];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < rows[0].length(); x++) {
                logits[y * rows[0].length() + x] = rows[y].charAt(x) == '#' ? 3f : -3f;
            }
        }
        return logits;
    }

    @Test
    void keepsThePieceNearestTheCentreAndSwitchesTheOthersOff() {
        float[] logits = grid(
                "##....#",
                "##....#",
                "......#",
                "...#...");
        new NearestComponent(4, 7).keep(logits, T, 6.5 / 7, 1.5 / 4);
        float off = NearestComponent.OFF_LOGIT;
        assertThat(logits).containsExactly(
                off, off, -3f, -3f, -3f, -3f, 3f,
                off, off, -3f, -3f, -3f, -3f, 3f,
                -3f, -3f, -3f, -3f, -3f, -3f, 3f,
                -3f, -3f, -3f, off, -3f, -3f, -3f);
    }

    @Test
    void diagonalNeighboursAreSeparatePieces() {
        float[] logits = grid(
                "#..",
                ".#.",
                "..#");
        new NearestComponent(3, 3).keep(logits, T, 0.5, 0.5);
        assertThat(logits[4]).isEqualTo(3f);
        assertThat(logits[0]).isEqualTo(NearestComponent.OFF_LOGIT);
        assertThat(logits[8]).isEqualTo(NearestComponent.OFF_LOGIT);
    }

    @Test
    void randomMasksKeepExactlyOneConnectedPieceContainingTheNearestOnCell() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int round = 0; round < 500; round++) {
            int rows = 1 + rnd.nextInt(12);
            int cols = 1 + rnd.nextInt(12);
            float[] logits = new float[rows * cols];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = rnd.nextDouble() < 0.4 ? 2f : -2f;
            }
            float[] before = logits.clone();
            double cu = rnd.nextDouble();
            double cv = rnd.nextDouble();
            new NearestComponent(rows, cols).keep(logits, T, cu, cv);
            int kept = 0;
            for (int p = 0; p < logits.length; p++) {
                if (before[p] < 0) {
                    assertThat(logits[p]).isEqualTo(before[p]);
                } else if (logits[p] > 0) {
                    kept++;
                }
            }
            boolean anyOn = false;
            for (float v : before) {
                anyOn |= v > 0;
            }
            assertThat(kept > 0).isEqualTo(anyOn);
            // kept cells form one 4-connected piece, and no removed on cell touches it
            for (int p = 0; p < logits.length; p++) {
                if (logits[p] == NearestComponent.OFF_LOGIT) {
                    int y = p / cols;
                    int x = p % cols;
                    assertThat(y > 0 && logits[p - cols] > 0).isFalse();
                    assertThat(y < rows - 1 && logits[p + cols] > 0).isFalse();
                    assertThat(x > 0 && logits[p - 1] > 0).isFalse();
                    assertThat(x < cols - 1 && logits[p + 1] > 0).isFalse();
                }
            }
        }
    }
}
