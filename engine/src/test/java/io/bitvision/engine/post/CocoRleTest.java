package io.bitvision.engine.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CocoRleTest {

    /** The vectors of FACTS.md "Downstream conventions", computed with pycocotools. */
    static List<Arguments> cocoVectors() {
        return List.of(
                Arguments.of(rows(new int[][] {{0, 0, 1, 1, 1, 0, 1}}), 1, 7, new int[] {2, 3, 1, 1}, "231N"),
                Arguments.of(rows(new int[][] {{1, 1, 1, 1, 1, 1, 0}}), 1, 7, new int[] {0, 6, 1}, "061"),
                Arguments.of(rows(new int[][] {{0, 1, 0}, {0, 1, 1}, {0, 0, 1}, {0, 0, 0}}), 4, 3,
                        new int[] {4, 2, 3, 2, 1}, "4230N"),
                Arguments.of(rows(new int[][] {{0, 0}, {0, 0}}), 2, 2, new int[] {4}, "4"),
                Arguments.of(rows(new int[][] {{1, 1}, {1, 1}}), 2, 2, new int[] {0, 4}, "04"));
    }

    @ParameterizedTest
    @MethodSource("cocoVectors")
    void matchesPycocotools(byte[] mask, int height, int width, int[] expectedCounts, String expectedString) {
        int[] counts = CocoRle.counts(mask, height, width);

        assertThat(counts).containsExactly(expectedCounts);
        assertThat(CocoRle.compress(counts)).isEqualTo(expectedString);
        assertThat(CocoRle.decompress(expectedString)).containsExactly(expectedCounts);
        assertThat(CocoRle.decode(expectedCounts, height, width)).containsExactly(mask);
    }

    /** Reading only a box that holds the foreground gives the counts of reading the whole mask. */
    @Test
    void countsWithinABoxEqualCountsOfTheWholeMask() {
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 5000; i++) {
            int height = 1 + random.nextInt(30);
            int width = 1 + random.nextInt(30);
            byte[] mask = RandomMasks.next(random, height, width);
            int[] whole = CocoRle.counts(mask, height, width);
            int[] box = CocoRle.bbox(whole, height, width);
            // The tight box, or one grown by a random margin on each side.
            int left = Math.max(0, box[0] - (random.nextBoolean() ? 0 : random.nextInt(3)));
            int top = Math.max(0, box[1] - (random.nextBoolean() ? 0 : random.nextInt(3)));
            int right = Math.min(width, box[0] + box[2] + (random.nextBoolean() ? 0 : random.nextInt(3)));
            int bottom = Math.min(height, box[1] + box[3] + (random.nextBoolean() ? 0 : random.nextInt(3)));
            if (box[2] == 0 && random.nextBoolean()) {
                left = right = random.nextInt(width + 1);
            }
            assertThat(CocoRle.counts(mask, height, width, left, top, right, bottom))
                    .as("%dx%d box %d,%d-%d,%d", height, width, left, top, right, bottom).containsExactly(whole);
        }
        assertThat(CocoRle.counts(new byte[0], 0, 5, 0, 0, 0, 0)).containsExactly(CocoRle.counts(new byte[0], 0, 5));
        assertThatThrownBy(() -> CocoRle.counts(new byte[6], 2, 3, 0, 0, 4, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CocoRle.counts(new byte[6], 2, 3, 2, 0, 1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void intersectionAndIouOfRandomMaskPairsEqualAPixelCount() {
        SplittableRandom random = new SplittableRandom(99);
        for (int trial = 0; trial < 2000; trial++) {
            int height = 1 + random.nextInt(30);
            int width = 1 + random.nextInt(30);
            byte[] a = RandomMasks.next(random, height, width);
            byte[] b = random.nextInt(5) == 0 ? a.clone() : RandomMasks.next(random, height, width);
            long shared = 0;
            long union = 0;
            for (int p = 0; p < a.length; p++) {
                shared += a[p] != 0 && b[p] != 0 ? 1 : 0;
                union += a[p] != 0 || b[p] != 0 ? 1 : 0;
            }
            int[] ca = CocoRle.counts(a, height, width);
            int[] cb = CocoRle.counts(b, height, width);
            assertThat(CocoRle.intersection(ca, cb)).as("trial %d", trial).isEqualTo(shared);
            assertThat(CocoRle.intersection(cb, ca)).isEqualTo(shared);
            assertThat(CocoRle.iou(ca, cb)).isEqualTo(union == 0 ? 0 : (double) shared / union);
        }
    }

    @Test
    void anyNonzeroByteIsForeground() {
        byte[] mask = {0, (byte) 255, 7, 0, -1, 1};

        assertThat(CocoRle.counts(mask, 2, 3)).containsExactly(CocoRle.counts(new byte[] {0, 1, 1, 0, 1, 1}, 2, 3));
    }

    @Test
    void areaAndBboxOfTheFourByThreeVector() {
        int[] counts = {4, 2, 3, 2, 1};

        assertThat(CocoRle.area(counts)).isEqualTo(4);
        assertThat(CocoRle.bbox(counts, 4, 3)).containsExactly(1, 0, 2, 3);
    }

    @Test
    void emptyMaskHasAZeroBox() {
        assertThat(CocoRle.bbox(new int[] {12}, 3, 4)).containsExactly(0, 0, 0, 0);
        assertThat(CocoRle.area(new int[] {12})).isZero();
    }

    @Test
    void largeCountsAndLargeNegativeDeltasRoundTrip() {
        int[] counts = {0, 442_367, 1, 0, 5, 300_000, 1};
        assertThat(CocoRle.decompress(CocoRle.compress(counts))).containsExactly(counts);
        int[] extreme = {Integer.MAX_VALUE, 0, 0, Integer.MAX_VALUE, 0};
        assertThat(CocoRle.decompress(CocoRle.compress(extreme))).containsExactly(extreme);
    }

    @Test
    void randomMasksRoundTripAndMatchANaiveRunCounter() {
        SplittableRandom random = new SplittableRandom(20240601);
        for (int trial = 0; trial < 4000; trial++) {
            int height = 1 + random.nextInt(50);
            int width = 1 + random.nextInt(70);
            checkMask(RandomMasks.next(random, height, width), height, width);
        }
    }

    @Test
    void randomFullFrameMasksRoundTrip() {
        SplittableRandom random = new SplittableRandom(768576);
        for (int trial = 0; trial < 24; trial++) {
            checkMask(RandomMasks.next(random, 576, 768), 576, 768);
        }
    }

    @Test
    void randomCountsSurviveCompression() {
        SplittableRandom random = new SplittableRandom(42);
        for (int trial = 0; trial < 2000; trial++) {
            int[] counts = new int[1 + random.nextInt(40)];
            for (int i = 0; i < counts.length; i++) {
                // 0 to 31 significant bits, so every digit count and both signs of the deltas occur.
                counts[i] = random.nextInt(8) == 0 ? 0 : (int) (random.nextLong() >>> (33 + random.nextInt(31)));
            }
            assertThat(CocoRle.decompress(CocoRle.compress(counts))).as("counts %s", counts).containsExactly(counts);
        }
    }

    @Test
    void stringsCocoCannotHaveWrittenAreRejected() {
        assertThatThrownBy(() -> CocoRle.decompress("2 3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an RLE digit");
        assertThatThrownBy(() -> CocoRle.decompress("2P")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ends inside a count");
        assertThatThrownBy(() -> CocoRle.decompress("oooooooo0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too many digits");
        // "N" after three counts is a delta of -2 against the second count, 1.
        assertThatThrownBy(() -> CocoRle.decompress("213N")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("decodes to -1");
    }

    @Test
    void countsThatDoNotCoverTheFrameAreRejected() {
        assertThatThrownBy(() -> CocoRle.decode(new int[] {2, 3}, 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cover 5 pixels").hasMessageContaining("has 6");
        assertThatThrownBy(() -> CocoRle.counts(new byte[5], 2, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void checkMask(byte[] mask, int height, int width) {
        int[] counts = CocoRle.counts(mask, height, width);
        assertThat(counts).as("%dx%d", height, width).isEqualTo(naiveColumnMajorRuns(mask, height, width));

        String compressed = CocoRle.compress(counts);
        int[] decompressed = CocoRle.decompress(compressed);
        assertThat(decompressed).isEqualTo(counts);
        assertThat(CocoRle.decode(decompressed, height, width)).isEqualTo(mask);

        assertThat(CocoRle.area(counts)).isEqualTo(naiveArea(mask));
        assertThat(CocoRle.bbox(counts, height, width)).isEqualTo(naiveBbox(mask, height, width));
    }

    /** Reads the mask into a column-major 0/1 sequence first, then splits it wherever the value changes. */
    private static int[] naiveColumnMajorRuns(byte[] mask, int height, int width) {
        List<Integer> columnMajor = new ArrayList<>();
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                columnMajor.add(mask[y * width + x] != 0 ? 1 : 0);
            }
        }
        List<Integer> runs = new ArrayList<>();
        int current = 0;
        int length = 0;
        for (int value : columnMajor) {
            if (value != current) {
                runs.add(length);
                current = value;
                length = 0;
            }
            length++;
        }
        runs.add(length);
        return runs.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long naiveArea(byte[] mask) {
        long area = 0;
        for (byte b : mask) {
            area += b != 0 ? 1 : 0;
        }
        return area;
    }

    private static int[] naiveBbox(byte[] mask, int height, int width) {
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (mask[y * width + x] != 0) {
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return maxX < 0 ? new int[] {0, 0, 0, 0} : new int[] {minX, minY, maxX - minX + 1, maxY - minY + 1};
    }

    private static byte[] rows(int[][] values) {
        int width = values[0].length;
        byte[] mask = new byte[values.length * width];
        for (int y = 0; y < values.length; y++) {
            for (int x = 0; x < width; x++) {
                mask[y * width + x] = (byte) values[y][x];
            }
        }
        return mask;
    }
}
