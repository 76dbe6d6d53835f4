package io.bitvision.engine.instance;

import io.bitvision.engine.post.CocoRle;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops an instance whose mask mostly repeats a higher-scoring one of the same class. A centre head can put two
 * peaks on one person (head and legs, or two halves of a wide coat); both peaks then render nearly the same mask.
 * People who overlap in the image keep their own masks (each pixel's kernel answer differs), so their mask IoU stays
 * low even when their boxes overlap a lot: that is why this compares masks, not boxes.
 */
public final class DuplicateInstances {
    /** Masks overlapping at least this much (IoU) are one instance. */
    public static final double DEFAULT_MASK_IOU = 0.8;

    private DuplicateInstances() {}

    /** {@code instances} without duplicates, in their order; the higher score of a duplicate pair stays. */
    public static List<MaskInstance> suppress(List<MaskInstance> instances, double maskIou) {
        if (instances.size() < 2) {
            return instances;
        }
        List<MaskInstance> byScore = new ArrayList<>(instances);
        byScore.sort((x, y) -> Float.compare(y.score(), x.score()));
        List<MaskInstance> kept = new ArrayList<>(instances.size());
        for (MaskInstance candidate : byScore) {
            boolean duplicate = false;
            for (MaskInstance k : kept) {
                if (k.classId() == candidate.classId() && k.box().iou(candidate.box()) > 0f
                        && CocoRle.iou(k.rleCounts(), candidate.rleCounts()) >= maskIou) {
                    duplicate = true;
                    break;
                }
            }
            if (!duplicate) {
                kept.add(candidate);
            }
        }
        if (kept.size() == instances.size()) {
            return instances;
        }
        List<MaskInstance> inOrder = new ArrayList<>(kept.size());
        for (MaskInstance m : instances) {
            if (kept.contains(m)) {
                inOrder.add(m);
            }
        }
        return inOrder;
    }
}
