package io.bitvision.operators.faces;

import java.util.List;

/** Vector helpers for embeddings: centring, L2 normalisation, cosine similarity. */
public final class Embeddings {
    private Embeddings() {}

    public static float[] centre(float[] v) {
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] - mean);
        }
        return out;
    }

    public static float[] normalise(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[v.length];
        if (norm == 0) {
            return out;
        }
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }

    /** Cosine of two L2-normalised vectors (their dot product); -1 when the lengths differ. */
    public static float cosine(float[] a, List<Float> b) {
        if (a.length != b.size()) {
            return -1f;
        }
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b.get(i);
        }
        return (float) dot;
    }
}
