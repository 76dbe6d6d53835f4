package io.bitvision.operators.faces;

import io.bitvision.engine.track.Box;

/**
 * Test embedder: the mean colour of a 4 x 4 grid over the box (48 values), centred and L2-normalised. It tells
 * regions apart by colour layout, nothing more; it stands in until the face issue's embedder exists, so the
 * watchlist, matching and event mechanics can be built and tested for real.
 */
public final class ColourLayoutEmbedder implements FaceEmbedder {
    private static final long serialVersionUID = 1L;
    public static final String ID = "test-colour-layout-1";
    private static final int GRID = 4;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public float[] embed(byte[] rgb, int height, int width, Box box) {
        int x0 = clamp((int) box.x(), width - 1);
        int y0 = clamp((int) box.y(), height - 1);
        int x1 = Math.max(x0 + 1, clamp((int) Math.ceil(box.x() + box.width()), width));
        int y1 = Math.max(y0 + 1, clamp((int) Math.ceil(box.y() + box.height()), height));
        float[] e = new float[GRID * GRID * 3];
        for (int gy = 0; gy < GRID; gy++) {
            for (int gx = 0; gx < GRID; gx++) {
                int cy0 = y0 + (y1 - y0) * gy / GRID;
                int cy1 = Math.max(cy0 + 1, y0 + (y1 - y0) * (gy + 1) / GRID);
                int cx0 = x0 + (x1 - x0) * gx / GRID;
                int cx1 = Math.max(cx0 + 1, x0 + (x1 - x0) * (gx + 1) / GRID);
                long r = 0;
                long g = 0;
                long b = 0;
                long n = 0;
                for (int y = cy0; y < Math.min(cy1, height); y++) {
                    for (int x = cx0; x < Math.min(cx1, width); x++) {
                        int at = (y * width + x) * 3;
                        r += rgb[at] & 0xFF;
                        g += rgb[at + 1] & 0xFF;
                        b += rgb[at + 2] & 0xFF;
                        n++;
                    }
                }
                int cell = (gy * GRID + gx) * 3;
                e[cell] = n == 0 ? 0 : (float) r / n;
                e[cell + 1] = n == 0 ? 0 : (float) g / n;
                e[cell + 2] = n == 0 ? 0 : (float) b / n;
            }
        }
        return Embeddings.normalise(Embeddings.centre(e));
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(v, max));
    }
}
