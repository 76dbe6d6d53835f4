package io.bitvision.operators.inference;

import io.bitvision.engine.track.IouTracker;

/** The tracker every camera's person instances get: the job's, and what {@code eval} measures. */
public final class PersonTracking {
    /** Lowest IoU between a track's last box and a detection that continues it. */
    public static final float MIN_IOU = 0.3f;
    /** Frames a track lives on unseen. */
    public static final int MAX_AGE = 10;

    private PersonTracking() {}

    public static IouTracker newTracker() {
        return new IouTracker(MIN_IOU, MAX_AGE);
    }
}
