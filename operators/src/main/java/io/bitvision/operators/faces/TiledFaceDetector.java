package io.bitvision.operators.faces;

import io.bitvision.engine.face.DetectedFace;
import io.bitvision.engine.track.Box;
import java.util.ArrayList;
import java.util.List;

/**
 * A second scale for small faces: the inner detector runs on the whole frame and on a {@code grid x grid} of
 * overlapping tiles (each a quarter wider than its share, same aspect as the frame), so a face covers
 * {@code grid} times more of the detector's input in a tile. A face cut by a tile's inner edge is left to the whole
 * frame or the neighbouring tile; the views are merged by greedy non-maximum suppression at IoU {@link #NMS_IOU},
 * best score first. Costs {@code 1 + grid * grid} detector runs per frame. Not thread-safe (one per subtask).
 */
public final class TiledFaceDetector implements FrameFaceDetector {
    private static final long serialVersionUID = 1L;
    public static final float OVERLAP = 0.25f;
    public static final float NMS_IOU = 0.3f;
    private static final float EDGE_MARGIN = 2f;

    private final FrameFaceDetector inner;
    private final int grid;
    private transient byte[] tile;

    public TiledFaceDetector(FrameFaceDetector inner, int grid) {
        if (grid < 2 || grid > 8) {
            throw new IllegalArgumentException("tiles per side must be 2..8, not " + grid);
        }
        this.inner = inner;
        this.grid = grid;
    }

    @Override
    public String id() {
        return inner.id() + "+tiles" + grid + "x" + grid;
    }

    public int grid() {
        return grid;
    }

    /** Tile size along a side of {@code length} px: the grid's tiles overlap by {@link #OVERLAP} of a tile. */
    int tileLength(int length) {
        return Math.min(length, (int) Math.ceil(length / (grid - (grid - 1) * OVERLAP)));
    }

    int tileStart(int length, int index) {
        int size = tileLength(length);
        return grid == 1 ? 0 : (int) Math.round((double) (length - size) * index / (grid - 1));
    }

    @Override
    public List<DetectedFace> detect(byte[] rgb, int height, int width) {
        List<DetectedFace> candidates = new ArrayList<>(inner.detect(rgb, height, width));
        int tw = tileLength(width);
        int th = tileLength(height);
        if (tile == null || tile.length != tw * th * 3) {
            tile = new byte[tw * th * 3];
        }
        for (int ty = 0; ty < grid; ty++) {
            int y0 = tileStart(height, ty);
            for (int tx = 0; tx < grid; tx++) {
                int x0 = tileStart(width, tx);
                for (int y = 0; y < th; y++) {
                    System.arraycopy(rgb, ((y0 + y) * width + x0) * 3, tile, y * tw * 3, tw * 3);
                }
                for (DetectedFace face : inner.detect(tile, th, tw)) {
                    Box b = face.box();
                    boolean cut = (x0 > 0 && b.x() <= EDGE_MARGIN) || (y0 > 0 && b.y() <= EDGE_MARGIN)
                            || (x0 + tw < width && b.x() + b.width() >= tw - EDGE_MARGIN)
                            || (y0 + th < height && b.y() + b.height() >= th - EDGE_MARGIN);
                    if (!cut) {
                        candidates.add(shifted(face, x0, y0));
                    }
                }
            }
        }
        return FaceSuppression.greedy(candidates, NMS_IOU, Integer.MAX_VALUE);
    }

    private static DetectedFace shifted(DetectedFace face, int dx, int dy) {
        Box b = face.box();
        float[] landmarks = face.landmarks();
        for (int i = 0; i < landmarks.length; i += 2) {
            landmarks[i] += dx;
            landmarks[i + 1] += dy;
        }
        return new DetectedFace(new Box(b.x() + dx, b.y() + dy, b.width(), b.height()), face.score(), landmarks);
    }
}
