package io.bitvision.engine.track;

/**
 * A tracked object: its id, class, last box and the frame it was last seen in.
 *
 * @param hits frames in which the track was matched, including the first
 */
public record Track(long id, int classId, Box box, long lastSeenFrame, int hits) {}
