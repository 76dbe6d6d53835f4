package io.bitvision.engine.face;

import io.bitvision.engine.track.Box;

/**
 * A face found in a frame, in frame pixels: its box, the detector's confidence in [0, 1] and five landmarks as
 * interleaved x, y in {@link FaceAligner}'s order (eyes, nose tip, mouth corners; image-left before image-right).
 */
public record DetectedFace(Box box, float score, float[] landmarks) {
    public DetectedFace {
        if (landmarks.length != FaceAligner.LANDMARK_VALUES) {
            throw new IllegalArgumentException("a face has " + FaceAligner.LANDMARK_VALUES + " landmark values, not "
                    + landmarks.length);
        }
        landmarks = landmarks.clone();
    }

    @Override
    public float[] landmarks() {
        return landmarks.clone();
    }
}
