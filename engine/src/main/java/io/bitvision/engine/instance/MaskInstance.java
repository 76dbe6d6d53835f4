package io.bitvision.engine.instance;

import io.bitvision.engine.track.Box;

/**
 * One instance in full-frame pixels.
 *
 * @param rleCounts COCO run lengths of the full-frame mask, column-major, starting with a background run
 */
public record MaskInstance(int classId, float score, Box box, long area, int[] rleCounts) {}
