package io.bitvision.operators.faces;

/**
 * Test embedder: the mean colour of a 4 x 4 grid over the face crop (48 values), centred and L2-normalised. It tells
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
    public float[] embedAligned(float[] crop) {
        int size = AlignedFace.SFACE_SIZE;
        int plane = size * size;
        if (crop.length != 3 * plane) {
            throw new IllegalArgumentException("an aligned face is 3x112x112 values, not " + crop.length);
        }
        int cell = size / GRID;
        float[] e = new float[GRID * GRID * 3];
        for (int gy = 0; gy < GRID; gy++) {
            for (int gx = 0; gx < GRID; gx++) {
                for (int c = 0; c < 3; c++) {
                    double sum = 0;
                    for (int y = gy * cell; y < (gy + 1) * cell; y++) {
                        for (int x = gx * cell; x < (gx + 1) * cell; x++) {
                            sum += crop[c * plane + y * size + x];
                        }
                    }
                    e[(gy * GRID + gx) * 3 + c] = (float) (sum / (cell * cell));
                }
            }
        }
        return Embeddings.normalise(Embeddings.centre(e));
    }
}
