package io.bitvision.operators.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.bitvision.engine.face.DetectedFace;
import io.bitvision.engine.track.Box;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TiledFaceDetectorTest {
    /**
     * Finds white squares as "faces", but only those at least a tenth of the image it is given tall: the scale limit
     * of a real detector with a fixed input. Landmarks: the square's corners and centre.
     */
    static final class SquareFinder implements FrameFaceDetector {
        private static final long serialVersionUID = 1L;
        int calls;

        @Override
        public String id() {
            return "squares";
        }

        @Override
        public List<DetectedFace> detect(byte[] rgb, int height, int width) {
            calls++;
            List<DetectedFace> found = new ArrayList<>();
            boolean[] seen = new boolean[height * width];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    if (seen[y * width + x] || !white(rgb, width, x, y)) {
                        continue;
                    }
                    int x1 = x;
                    while (x1 < width && white(rgb, width, x1, y)) {
                        x1++;
                    }
                    int y1 = y;
                    while (y1 < height && white(rgb, width, x, y1)) {
                        y1++;
                    }
                    for (int yy = y; yy < y1; yy++) {
                        for (int xx = x; xx < x1; xx++) {
                            seen[yy * width + xx] = true;
                        }
                    }
                    if (y1 - y >= height / 10) {
                        float[] lm = {x, y, x1, y, (x + x1) / 2f, (y + y1) / 2f, x, y1, x1, y1};
                        found.add(new DetectedFace(new Box(x, y, x1 - x, y1 - y), 0.5f + (x1 - x) / 1000f, lm));
                    }
                }
            }
            return found;
        }

        private static boolean white(byte[] rgb, int width, int x, int y) {
            return (rgb[(y * width + x) * 3] & 0xff) == 255;
        }
    }

    private static byte[] canvas(int height, int width, int[]... squares) {
        byte[] rgb = new byte[height * width * 3];
        for (int[] s : squares) {
            for (int y = s[1]; y < s[1] + s[2]; y++) {
                for (int x = s[0]; x < s[0] + s[2]; x++) {
                    rgb[(y * width + x) * 3] = (byte) 255;
                }
            }
        }
        return rgb;
    }

    @Test
    void aFaceTooSmallForTheWholeFrameIsFoundInATileAtFramePositions() {
        SquareFinder finder = new SquareFinder();
        byte[] frame = canvas(600, 800, new int[] {500, 400, 30}, new int[] {100, 50, 200});
        assertThat(finder.detect(frame, 600, 800)).as("the whole frame finds only the large square").hasSize(1);

        TiledFaceDetector tiled = new TiledFaceDetector(finder, 3);
        finder.calls = 0;
        List<DetectedFace> faces = tiled.detect(frame, 600, 800);

        assertThat(finder.calls).isEqualTo(1 + 9);
        assertThat(faces).hasSize(2);
        DetectedFace small = faces.stream().filter(f -> f.box().width() < 100).findFirst().orElseThrow();
        assertThat(small.box()).isEqualTo(new Box(500, 400, 30, 30));
        assertThat(small.landmarks()[4]).isCloseTo(515f, within(1e-4f));
        assertThat(small.landmarks()[5]).isCloseTo(415f, within(1e-4f));
        DetectedFace large = faces.stream().filter(f -> f.box().width() >= 100).findFirst().orElseThrow();
        assertThat(large.box()).as("seen whole and in overlapping tiles: one face").isEqualTo(new Box(100, 50, 200, 200));
        assertThat(tiled.id()).isEqualTo("squares+tiles3x3");
    }

    @Test
    void aFaceCutByATileEdgeIsNotReportedAsItsPart() {
        TiledFaceDetector tiled = new TiledFaceDetector(new SquareFinder(), 2);
        int tile = tiled.tileLength(800);
        assertThat(tile).isEqualTo(458);
        // A square that straddles the first tile's right edge (x 458) but lies whole in the second tile.
        byte[] frame = canvas(600, 800, new int[] {440, 300, 50});
        assertThat(new SquareFinder().detect(frame, 600, 800)).as("too small for the whole frame").isEmpty();
        List<DetectedFace> faces = tiled.detect(frame, 600, 800);
        assertThat(faces).hasSize(1);
        assertThat(faces.getFirst().box()).isEqualTo(new Box(440, 300, 50, 50));
    }

    @Test
    void tilesCoverTheFrameWithOverlap() {
        TiledFaceDetector tiled = new TiledFaceDetector(new SquareFinder(), 3);
        int size = tiled.tileLength(1000);
        assertThat(tiled.tileStart(1000, 0)).isZero();
        assertThat(tiled.tileStart(1000, 2) + size).isEqualTo(1000);
        assertThat(tiled.tileStart(1000, 1)).isLessThan(size);
        assertThat(tiled.tileStart(1000, 1) + size).isGreaterThan(tiled.tileStart(1000, 2));
        assertThatThrownBy(() -> new TiledFaceDetector(new SquareFinder(), 1)).hasMessageContaining("2..8");
    }
}
