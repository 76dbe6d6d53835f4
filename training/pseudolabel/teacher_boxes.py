"""The person teacher's boxes on chosen frames of a video, for `./bitvision eval --teacher-boxes` and for proposing
hand labels (a person checks and corrects them; see docs/person-model.md, "Scene labels").

    /usr/bin/python3 teacher_boxes.py --video V --frames 0,25,50 --out B.jsonl.gz [--min-score 0.2] [--tiles]

Writes JSON lines {"frame": i, "boxes": [[x, y, w, h, score], ...]} (frame = index in the decoded video). With
--tiles the teacher also runs on 2x2 overlapping half-size tiles of each frame (small people are scored low at its
512x512 input) and the boxes are merged by greedy NMS at IoU 0.5.
"""
import argparse
import gzip
import os
import sys

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from bitvision_train.common.metrics import box_iou  # noqa: E402
from bitvision_train.common.teacher import run_node_teacher  # noqa: E402
from bitvision_train.common.video import iter_frames as read_frames  # noqa: E402

TEACHER = os.path.normpath(os.path.join(HERE, "..", "teacher", "detect-persons.mjs"))


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def teacher(images, min_score):
    """Boxes of each RGB image (all the same size), in order."""
    h, w = images[0].shape[:2]
    args = ["--width", w, "--height", h, "--first", 0, "--min-score", min_score, "--input", "-"]
    records = run_node_teacher(TEACHER, args, (im.tobytes() for im in images), log)
    return [r["boxes"] for r in sorted(records, key=lambda r: r["frame"])]


def tiles(rgb):
    """2x2 tiles of 0.6 x the frame each, overlapping by a fifth; (x0, y0, tile)."""
    h, w = rgb.shape[:2]
    th, tw = int(h * 0.6), int(w * 0.6)
    return [(x0, y0, np.ascontiguousarray(rgb[y0:y0 + th, x0:x0 + tw])) for y0 in (0, h - th) for x0 in (0, w - tw)]


def nms(boxes, iou=0.5):
    kept = []
    for b in sorted(boxes, key=lambda b: -b[4]):
        if all(box_iou(b, k) < iou for k in kept):
            kept.append(b)
    return kept




def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--video", required=True)
    p.add_argument("--frames", required=True, help="comma-separated frame indices")
    p.add_argument("--out", required=True)
    p.add_argument("--min-score", type=float, default=0.2)
    p.add_argument("--tiles", action="store_true")
    a = p.parse_args(argv)
    wanted = sorted({int(f) for f in a.frames.split(",")})
    frames = {}
    for i, bgr in read_frames(a.video):
        if i in wanted:
            frames[i] = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        if i >= wanted[-1]:
            break
    missing = [f for f in wanted if f not in frames]
    if missing:
        raise SystemExit(f"{a.video} has no frame {missing[0]}")
    order = [frames[f] for f in wanted]
    boxes = teacher(order, a.min_score)
    if a.tiles:
        for k, rgb in enumerate(order):
            cut = tiles(rgb)
            found = teacher([t for _, _, t in cut], a.min_score)
            for (x0, y0, _), bs in zip(cut, found):
                boxes[k] = boxes[k] + [[b[0] + x0, b[1] + y0, b[2], b[3], b[4]] for b in bs]
            boxes[k] = nms(boxes[k])
    with gzip.open(a.out, "wt") if a.out.endswith(".gz") else open(a.out, "w") as f:
        for frame, bs in zip(wanted, boxes):
            f.write('{"frame": %d, "boxes": [%s]}\n' % (frame, ", ".join(
                "[%.1f, %.1f, %.1f, %.1f, %.3f]" % tuple(b[:5]) for b in bs)))
    log(f"teacher boxes of {len(wanted)} frames -> {a.out}")


if __name__ == "__main__":
    main()
