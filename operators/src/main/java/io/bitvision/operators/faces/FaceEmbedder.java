package io.bitvision.operators.faces;

import io.bitvision.engine.track.Box;
import java.io.Serializable;
import java.util.OptionalDouble;

/** Turns a face into an L2-normalised embedding. */
public interface FaceEmbedder extends Serializable {
    /** Identifies the embedding space: only watchlist entries enrolled with the same id are compared. */
    String id();

    /**
     * The similarity threshold calibrated for this model (its metadata {@value #THRESHOLD_KEY}, written by
     * {@code ./bitvision calibrate --write-threshold}), if it has one.
     */
    default OptionalDouble calibratedThreshold() {
        return OptionalDouble.empty();
    }

    String THRESHOLD_KEY = "match.threshold";

    /** The embedding of a 3x112x112 crop (float R, G, B planes, values 0-255) made by {@link AlignedFace}. */
    float[] embedAligned(float[] crop);

    /** The embedding of the box's region, resized to a square without alignment (for faces without landmarks). */
    default float[] embed(byte[] rgb, int height, int width, Box box) {
        return embedAligned(AlignedFace.crop(rgb, height, width, box, AlignedFace.SFACE_SIZE));
    }

    /** The embedding of the face aligned by its five landmarks (x, y interleaved, FaceAligner's order). */
    default float[] embed(byte[] rgb, int height, int width, float[] landmarks) {
        return embedAligned(AlignedFace.fromLandmarks(rgb, height, width, landmarks));
    }
}
