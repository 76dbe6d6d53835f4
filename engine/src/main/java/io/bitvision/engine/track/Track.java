package io.bitvision.engine.track;

/**
 * A tracked object: its id, class, last box, the frame it was last seen in, and how its box centre moves.
 *
 * @param hits frames in which the track was matched, including the first
 * @param vx   smoothed horizontal velocity of the box centre, pixels per frame
 * @param vy   smoothed vertical velocity of the box centre, pixels per frame
 */
public record Track(long id, int classId, Box box, long lastSeenFrame, int hits, float vx, float vy) {
    /** A track that has not been seen to move. */
    public Track(long id, int classId, Box box, long lastSeenFrame, int hits) {
        this(id, classId, box, lastSeenFrame, hits, 0f, 0f);
    }

    /** Where the box should be at {@code frame} if the object keeps its velocity. */
    public Box predictedAt(long frame) {
        float frames = frame - lastSeenFrame;
        return new Box(box.x() + vx * frames, box.y() + vy * frames, box.width(), box.height());
    }
}
