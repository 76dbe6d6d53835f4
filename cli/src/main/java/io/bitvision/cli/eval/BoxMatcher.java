package io.bitvision.cli.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Matches one frame's detections to its labelled people at IoU >= 0.5, highest score first, each person at most once
 * (the PASCAL VOC / COCO rule). A detection that matches no required person is not counted when it matches an
 * optional one (shorter than the scene's minimum height) or lies mostly (half its area or more) inside an ignore
 * region; otherwise it is a false alarm. Required people left unmatched are misses.
 */
public final class BoxMatcher {
    public static final double IOU = 0.5;
    /** A detection with at least this share of its area inside an ignore region is not counted. */
    public static final double IGNORED_INSIDE = 0.5;

    /** A detection: box [x, y, w, h] in frame pixels and its score. */
    public record Detection(float[] box, float score) {}

    /** How a detection was counted. */
    public enum Outcome { HIT, FALSE_ALARM, NOT_COUNTED }

    /**
     * One frame's result: each detection's outcome (in the given order), the index in the frame's labelled boxes
     * of the person each detection matched (-1 for none), and the required people missed.
     */
    public record FrameResult(List<Outcome> outcomes, int[] labelOf, int required, List<float[]> missed) {
        public int hits() {
            return count(Outcome.HIT);
        }

        public int falseAlarms() {
            return count(Outcome.FALSE_ALARM);
        }

        private int count(Outcome o) {
            return (int) outcomes.stream().filter(o::equals).count();
        }
    }

    private BoxMatcher() {}

    public static FrameResult match(List<Detection> detections, SceneLabels.Frame labels, int minHeight) {
        return match(detections, labels, minHeight, IOU);
    }

    /** As {@link #match(List, SceneLabels.Frame, int)}, matching at {@code iou} or more (faces: 0.4, see FaceLabels). */
    public static FrameResult match(List<Detection> detections, SceneLabels.Frame labels, int minHeight, double iou) {
        List<float[]> required = new ArrayList<>();
        List<float[]> optional = new ArrayList<>();
        List<Integer> requiredIndex = new ArrayList<>();
        List<Integer> optionalIndex = new ArrayList<>();
        for (int j = 0; j < labels.boxes().size(); j++) {
            float[] b = labels.boxes().get(j);
            (b[3] >= minHeight ? required : optional).add(b);
            (b[3] >= minHeight ? requiredIndex : optionalIndex).add(j);
        }
        boolean[] requiredTaken = new boolean[required.size()];
        boolean[] optionalTaken = new boolean[optional.size()];
        Integer[] order = new Integer[detections.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -detections.get(i).score()));
        Outcome[] outcomes = new Outcome[detections.size()];
        int[] labelOf = new int[detections.size()];
        java.util.Arrays.fill(labelOf, -1);
        for (int i : order) {
            float[] box = detections.get(i).box();
            int taken;
            if ((taken = take(box, required, requiredTaken, iou)) >= 0) {
                outcomes[i] = Outcome.HIT;
                labelOf[i] = requiredIndex.get(taken);
            } else if ((taken = take(box, optional, optionalTaken, iou)) >= 0) {
                outcomes[i] = Outcome.NOT_COUNTED;
                labelOf[i] = optionalIndex.get(taken);
            } else if (insideIgnored(box, labels.ignore())) {
                outcomes[i] = Outcome.NOT_COUNTED;
            } else {
                outcomes[i] = Outcome.FALSE_ALARM;
            }
        }
        List<float[]> missed = new ArrayList<>();
        for (int j = 0; j < required.size(); j++) {
            if (!requiredTaken[j]) {
                missed.add(required.get(j));
            }
        }
        return new FrameResult(List.of(outcomes), labelOf, required.size(), missed);
    }

    /** Takes the untaken box with the highest IoU >= {@code minIou} and returns its index; -1 when there is none. */
    private static int take(float[] box, List<float[]> candidates, boolean[] taken, double minIou) {
        int best = -1;
        double bestIou = minIou;
        for (int j = 0; j < candidates.size(); j++) {
            if (!taken[j]) {
                double iou = iou(box, candidates.get(j));
                if (iou >= bestIou) {
                    bestIou = iou;
                    best = j;
                }
            }
        }
        if (best >= 0) {
            taken[best] = true;
        }
        return best;
    }

    private static boolean insideIgnored(float[] box, List<float[]> regions) {
        double area = (double) box[2] * box[3];
        for (float[] r : regions) {
            if (area > 0 && intersection(box, r) >= IGNORED_INSIDE * area) {
                return true;
            }
        }
        return false;
    }

    public static double iou(float[] a, float[] b) {
        double inter = intersection(a, b);
        double union = (double) a[2] * a[3] + (double) b[2] * b[3] - inter;
        return union > 0 ? inter / union : 0;
    }

    private static double intersection(float[] a, float[] b) {
        double w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
        double h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
        return w > 0 && h > 0 ? w * h : 0;
    }
}
