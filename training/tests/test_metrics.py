"""metrics.py's mask AP against a second implementation written the way COCOeval computes it (IoU matrix per
image, detections matched in score order to the best unmatched ground truth, precision made monotone with an
accumulated maximum, read at 101 recall points), on random masks."""
import unittest

import numpy as np

from bitvision_train.common import metrics

RECALL_POINTS = np.linspace(0, 1, 101)


def coco_style_ap(frames, thresholds=np.linspace(0.5, 0.95, 10)):
    """Second implementation: vectorised IoUs, COCOeval's matching and accumulation."""
    total_gt = sum(len(gt) for _, gt in frames)
    ious, scores = [], []
    for dets, gt in frames:
        order = np.argsort([-s for s, _ in dets], kind="mergesort")
        pixels = next((m.size for m in [x for _, x in dets] + list(gt)), 0)
        d = np.array([dets[i][1].ravel() for i in order], dtype=bool).reshape(len(dets), pixels)
        g = np.array([m.ravel() for m in gt], dtype=bool).reshape(len(gt), pixels)
        inter = d.astype(np.int64) @ g.T.astype(np.int64)
        union = d.sum(1)[:, None] + g.sum(1)[None, :] - inter
        ious.append(np.where(union > 0, inter / np.maximum(union, 1), 0.0))
        scores.append(np.array([dets[i][0] for i in order]))
    results = []
    for t in thresholds:
        matched_all = []
        for iou in ious:
            n_det, n_gt = iou.shape
            gt_taken = np.zeros(n_gt, dtype=bool)
            matched = np.zeros(n_det, dtype=bool)
            for di in range(n_det):
                candidates = np.where(~gt_taken & (iou[di] >= t))[0]
                if candidates.size:
                    best = candidates[np.argmax(iou[di, candidates])]
                    # ties: the later ground truth wins, as in metrics.py's ">=" scan
                    best = candidates[iou[di, candidates] == iou[di, best]][-1]
                    gt_taken[best] = True
                    matched[di] = True
            matched_all.append(matched)
        if total_gt == 0:
            results.append(0.0)
            continue
        all_scores = np.concatenate(scores) if scores else np.zeros(0)
        all_matched = np.concatenate(matched_all) if matched_all else np.zeros(0, dtype=bool)
        order = np.argsort(-all_scores, kind="mergesort")
        tp = np.cumsum(all_matched[order])
        fp = np.cumsum(~all_matched[order])
        recall = tp / total_gt
        precision = tp / np.maximum(tp + fp, 1)
        precision = np.maximum.accumulate(precision[::-1])[::-1] if precision.size else precision
        at = np.searchsorted(recall, RECALL_POINTS, side="left")
        results.append(float(np.mean([precision[i] if i < precision.size else 0.0 for i in at])))
    return float(np.mean(results)), results[0], results[5]


def random_frames(rng, n_frames):
    frames = []
    for _ in range(n_frames):
        gt = []
        for _ in range(rng.integers(0, 4)):
            m = np.zeros((24, 24), dtype=bool)
            y, x = rng.integers(0, 16, size=2)
            h, w = rng.integers(3, 9, size=2)
            m[y:y + h, x:x + w] = True
            gt.append(m)
        dets = []
        for g in gt:  # detections near the ground truth, shifted and grown so that IoUs spread over 0.3..1
            if rng.random() < 0.8:
                d = np.roll(g, (int(rng.integers(-2, 3)), int(rng.integers(-2, 3))), axis=(0, 1))
                if rng.random() < 0.5:
                    d = d | np.roll(d, 1, axis=1)
                dets.append((float(rng.random()), d))
        for _ in range(rng.integers(0, 3)):  # false positives
            d = np.zeros((24, 24), dtype=bool)
            y, x = rng.integers(0, 20, size=2)
            d[y:y + 4, x:x + 4] = True
            dets.append((float(rng.random()), d))
        frames.append((dets, gt))
    return frames


class MaskApTest(unittest.TestCase):
    def test_agrees_with_a_second_implementation_on_random_masks(self):
        rng = np.random.default_rng(12)
        spread = set()
        for case in range(60):
            frames = random_frames(rng, int(rng.integers(1, 6)))
            ours = metrics.average_precision(frames)
            theirs = coco_style_ap(frames)
            for a, b in zip(ours, theirs):
                self.assertAlmostEqual(a, b, places=12, msg=f"case {case}: {ours} vs {theirs}")
            spread.add(round(ours[0], 2))
        self.assertGreater(len(spread), 10, "the random cases cover many AP values, not a few trivial ones")

    def test_perfect_and_empty_detections(self):
        rng = np.random.default_rng(3)
        frames = [(d, g) for d, g in random_frames(rng, 5)]
        perfect = [([(1.0 - 0.01 * i, m) for i, m in enumerate(gt)], gt) for _, gt in frames]
        self.assertEqual(metrics.average_precision(perfect), (1.0, 1.0, 1.0))
        nothing = [([], gt) for _, gt in frames]
        self.assertEqual(metrics.average_precision(nothing), (0.0, 0.0, 0.0))


if __name__ == "__main__":
    unittest.main()
