package io.bitvision.cli.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One detector's figures over a scene's labelled frames: hits, false alarms and misses at its own score threshold,
 * recall, precision, and box AP at IoU 0.5 over the detections it kept (all-point interpolation, as PASCAL VOC
 * 2010 on), so a detector that keeps only confident boxes is not credited with recall below its threshold.
 */
public final class SceneScore {
    private final List<double[]> scoredHits = new ArrayList<>(); // {score, 1 for a hit / 0 for a false alarm}
    private int frames;
    private int required;
    private int hits;
    private int falseAlarms;
    private int notCounted;

    public void add(List<BoxMatcher.Detection> detections, BoxMatcher.FrameResult result) {
        frames++;
        required += result.required();
        for (int i = 0; i < detections.size(); i++) {
            switch (result.outcomes().get(i)) {
                case HIT -> {
                    hits++;
                    scoredHits.add(new double[] {detections.get(i).score(), 1});
                }
                case FALSE_ALARM -> {
                    falseAlarms++;
                    scoredHits.add(new double[] {detections.get(i).score(), 0});
                }
                case NOT_COUNTED -> notCounted++;
            }
        }
    }

    public int frames() {
        return frames;
    }

    public int people() {
        return required;
    }

    public int hits() {
        return hits;
    }

    public int falseAlarms() {
        return falseAlarms;
    }

    public int misses() {
        return required - hits;
    }

    public int notCounted() {
        return notCounted;
    }

    /** NaN without labelled people. */
    public double recall() {
        return required == 0 ? Double.NaN : (double) hits / required;
    }

    /** NaN without counted detections. */
    public double precision() {
        return hits + falseAlarms == 0 ? Double.NaN : (double) hits / (hits + falseAlarms);
    }

    /** Box AP at IoU 0.5 over the kept detections; NaN without labelled people. */
    public double ap50() {
        if (required == 0) {
            return Double.NaN;
        }
        List<double[]> ranked = new ArrayList<>(scoredHits);
        ranked.sort(Comparator.comparingDouble((double[] d) -> -d[0]));
        int n = ranked.size();
        double[] precision = new double[n];
        double[] recall = new double[n];
        int tp = 0;
        for (int i = 0; i < n; i++) {
            tp += (int) ranked.get(i)[1];
            precision[i] = (double) tp / (i + 1);
            recall[i] = (double) tp / required;
        }
        for (int i = n - 2; i >= 0; i--) {
            precision[i] = Math.max(precision[i], precision[i + 1]);
        }
        double ap = 0;
        double previousRecall = 0;
        for (int i = 0; i < n; i++) {
            ap += (recall[i] - previousRecall) * precision[i];
            previousRecall = recall[i];
        }
        return ap;
    }
}
