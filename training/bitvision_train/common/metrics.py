"""COCO-style mask AP (IoU 0.50:0.95, 101-point interpolated precision) and box recall, single class."""
import numpy as np

IOU_THRESHOLDS = np.linspace(0.5, 0.95, 10)


def mask_iou(a, b):
    inter = np.logical_and(a, b).sum()
    union = np.logical_or(a, b).sum()
    return inter / union if union else 0.0


def box_iou(a, b):
    ax2, ay2, bx2, by2 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    iw = max(0, min(ax2, bx2) - max(a[0], b[0]))
    ih = max(0, min(ay2, by2) - max(a[1], b[1]))
    inter = iw * ih
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union else 0.0


def average_precision(frames):
    """frames: list of (detections [(score, mask)], ground-truth masks). Returns AP (mean over IoU thresholds),
    AP50 and AP75."""
    per_threshold = []
    total_gt = sum(len(gt) for _, gt in frames)
    for thr in IOU_THRESHOLDS:
        scored = []
        for dets, gt in frames:
            taken = [False] * len(gt)
            for score, mask in sorted(dets, key=lambda d: -d[0]):
                best, best_j = thr, -1
                for j, g in enumerate(gt):
                    if not taken[j]:
                        iou = mask_iou(mask, g)
                        if iou >= best:
                            best, best_j = iou, j
                if best_j >= 0:
                    taken[best_j] = True
                scored.append((score, best_j >= 0))
        per_threshold.append(_ap(scored, total_gt))
    return float(np.mean(per_threshold)), float(per_threshold[0]), float(per_threshold[5])


def _ap(scored, total_gt):
    if total_gt == 0:
        return 0.0
    scored.sort(key=lambda s: -s[0])
    tp = np.cumsum([1 if hit else 0 for _, hit in scored])
    fp = np.cumsum([0 if hit else 1 for _, hit in scored])
    recall = tp / total_gt
    precision = tp / np.maximum(tp + fp, 1)
    for i in range(len(precision) - 2, -1, -1):
        precision[i] = max(precision[i], precision[i + 1])
    points = np.linspace(0, 1, 101)
    ap = 0.0
    for r in points:
        idx = np.searchsorted(recall, r, side="left")
        ap += precision[idx] if idx < len(precision) else 0.0
    return ap / len(points)


def box_recall(frames, iou=0.5):
    """Share of ground-truth boxes matched by a detection box with IoU >= iou (each detection used once)."""
    hit = total = 0
    for dets, gts in frames:
        used = [False] * len(dets)
        for g in gts:
            total += 1
            best, best_i = iou, -1
            for i, d in enumerate(dets):
                if not used[i]:
                    v = box_iou(d, g)
                    if v >= best:
                        best, best_i = v, i
            if best_i >= 0:
                used[best_i] = True
                hit += 1
    return hit / total if total else 0.0


def best_f1_threshold(frames, iou=0.5, candidates=None):
    """Score threshold with the best F1 of mask matches at `iou` (greedy by score). frames as for
    average_precision. Returns (threshold, f1, precision, recall)."""
    candidates = candidates if candidates is not None else [round(0.05 * i, 2) for i in range(2, 19)]
    best = (candidates[0], -1.0, 0.0, 0.0)
    total_gt = sum(len(gt) for _, gt in frames)
    for t in candidates:
        tp = fp = 0
        for dets, gt in frames:
            taken = [False] * len(gt)
            for score, mask in sorted(dets, key=lambda d: -d[0]):
                if score < t:
                    break
                hit = -1
                for j, g in enumerate(gt):
                    if not taken[j] and mask_iou(mask, g) >= iou:
                        hit = j
                        break
                if hit >= 0:
                    taken[hit] = True
                    tp += 1
                else:
                    fp += 1
        precision = tp / max(1, tp + fp)
        recall = tp / max(1, total_gt)
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        if f1 > best[1]:
            best = (t, f1, precision, recall)
    return best
