package io.bitvision.operators.faces;

import io.bitvision.engine.face.DetectedFace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy non-maximum suppression of faces: best score first, a face overlapping a kept one by more than the IoU goes. */
final class FaceSuppression {
    private FaceSuppression() {}

    /** The kept faces, best first, at most {@code max}; {@code faces} is sorted in place. */
    static List<DetectedFace> greedy(List<DetectedFace> faces, float iou, int max) {
        faces.sort(Comparator.comparingDouble(DetectedFace::score).reversed());
        List<DetectedFace> kept = new ArrayList<>();
        for (DetectedFace face : faces) {
            boolean overlaps = false;
            for (DetectedFace k : kept) {
                if (k.box().iou(face.box()) > iou) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                kept.add(face);
                if (kept.size() == max) {
                    break;
                }
            }
        }
        return kept;
    }
}
