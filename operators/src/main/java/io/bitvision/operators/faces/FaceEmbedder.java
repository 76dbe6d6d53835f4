package io.bitvision.operators.faces;

import io.bitvision.engine.track.Box;
import java.io.Serializable;

/** Turns the region of a frame inside a box into an L2-normalised embedding. */
public interface FaceEmbedder extends Serializable {
    /** Identifies the embedding space: only watchlist entries enrolled with the same id are compared. */
    String id();

    float[] embed(byte[] rgb, int height, int width, Box box);
}
