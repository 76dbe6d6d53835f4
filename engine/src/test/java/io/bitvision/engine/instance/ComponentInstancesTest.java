package io.bitvision.engine.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ComponentInstancesTest {

    @Test
    void twoBlobsBecomeTwoInstancesInScanOrder() {
        byte[] map = new byte[4 * 6];
        map[0 * 6 + 4] = map[1 * 6 + 4] = 1;          // blob A: column 4, rows 0-1
        map[2 * 6 + 1] = map[3 * 6 + 1] = map[3 * 6 + 2] = 1; // blob B
        List<MaskInstance> found = ComponentInstances.extract(map, new FrameGrid(4, 6, 8, 12), 1, 0, 1f);
        assertThat(found).hasSize(2);
        assertThat(found.get(0).box().x()).isEqualTo(8f);
        assertThat(found.get(0).area()).isEqualTo(2 * 2 * 2);
        assertThat(found.get(1).area()).isEqualTo(3 * 4);
    }

    @Test
    void smallComponentsAreDropped() {
        byte[] map = new byte[9];
        map[4] = 1;
        assertThat(ComponentInstances.extract(map, new FrameGrid(3, 3, 3, 3), 2, 0, 1f)).isEmpty();
    }

    /** Full-frame masks rendered pixel by pixel, then described the obvious way, agree with the instances. */
    @Test
    void instancesMatchANaiveFullFrameRendering() {
        SplittableRandom rnd = new SplittableRandom(8);
        for (int trial = 0; trial < 500; trial++) {
            int rows = 1 + rnd.nextInt(20);
            int cols = 1 + rnd.nextInt(20);
            FrameGrid grid = rnd.nextInt(4) == 0
                    ? new FrameGrid(rows, cols, 1 + rnd.nextInt(rows), 1 + rnd.nextInt(cols)) // map finer than the frame
                    : new FrameGrid(rows, cols, rows + rnd.nextInt(60), cols + rnd.nextInt(60));
            byte[] map = new byte[rows * cols];
            double density = rnd.nextDouble();
            for (int i = 0; i < map.length; i++) {
                map[i] = (byte) (rnd.nextDouble() < density ? 1 : 0);
            }
            List<MaskInstance> instances = ComponentInstances.extract(map, grid, 1, 0, 1f);
            long totalArea = 0;
            for (MaskInstance instance : instances) {
                int[] mask = render(instance.rleCounts(), grid.height(), grid.width());
                long area = 0;
                int minX = Integer.MAX_VALUE;
                int minY = Integer.MAX_VALUE;
                int maxX = -1;
                int maxY = -1;
                for (int y = 0; y < grid.height(); y++) {
                    for (int x = 0; x < grid.width(); x++) {
                        if (mask[y * grid.width() + x] != 0) {
                            area++;
                            minX = Math.min(minX, x);
                            minY = Math.min(minY, y);
                            maxX = Math.max(maxX, x);
                            maxY = Math.max(maxY, y);
                        }
                    }
                }
                assertThat(instance.area()).as("trial %d area", trial).isEqualTo(area);
                assertThat(instance.box().x()).isEqualTo((float) minX);
                assertThat(instance.box().y()).isEqualTo((float) minY);
                assertThat(instance.box().width()).isEqualTo((float) (maxX - minX + 1));
                assertThat(instance.box().height()).isEqualTo((float) (maxY - minY + 1));
                totalArea += area;
            }
            long foreground = 0;
            for (int y = 0; y < grid.height(); y++) {
                for (int x = 0; x < grid.width(); x++) {
                    foreground += map[cellRow(grid, y) * cols + cellCol(grid, x)];
                }
            }
            assertThat(totalArea).as("trial %d: instances cover the foreground exactly once", trial).isEqualTo(foreground);
        }
    }

    private static int cellRow(FrameGrid grid, int y) {
        int r = 0;
        while (grid.rowStart(r + 1) <= y) {
            r++;
        }
        return r;
    }

    private static int cellCol(FrameGrid grid, int x) {
        int c = 0;
        while (grid.colStart(c + 1) <= x) {
            c++;
        }
        return c;
    }

    /** Plain COCO run decoding: alternating runs from background, column-major. */
    private static int[] render(int[] counts, int height, int width) {
        int[] mask = new int[height * width];
        int position = 0;
        List<Integer> check = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            assertThat(counts[i]).isGreaterThanOrEqualTo(0);
            check.add(counts[i]);
            for (int k = 0; k < counts[i]; k++, position++) {
                if (i % 2 == 1) {
                    int x = position / height;
                    int y = position % height;
                    mask[y * width + x] = 1;
                }
            }
        }
        assertThat(position).as("runs cover the frame: %s", check).isEqualTo(height * width);
        return mask;
    }
}
