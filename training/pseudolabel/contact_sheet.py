#!/usr/bin/python3
"""Contact sheet of pseudo-labels: masks coloured per instance, label boxes (solid), teacher boxes
that were dropped (thin grey, optional, from --teacher-cache).

  /usr/bin/python3 contact_sheet.py --video vtest.avi --labels labels.json.gz --out sheet.png \
      [--frames 100,300,500,650,700,780] [--cols 3] [--scale 0.5] [--teacher-cache boxes.jsonl.gz]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bitvision_train.common import rle  # noqa: E402

PALETTE = [(230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48), (145, 30, 180),
           (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212), (0, 128, 128), (170, 110, 40)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--video", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--frames", default="100,300,500,650,700,780")
    ap.add_argument("--cols", type=int, default=3)
    ap.add_argument("--scale", type=float, default=0.5)
    ap.add_argument("--teacher-cache", default=None)
    ap.add_argument("--crop", default=None, help="x,y,w,h crop (full-res coords) before scaling")
    args = ap.parse_args(argv)

    with gzip.open(args.labels, "rt") as f:
        doc = json.load(f)
    by_frame = {fr["frame"]: fr["instances"] for fr in doc["frames"]}
    teacher = {}
    if args.teacher_cache:
        op = gzip.open if args.teacher_cache.endswith(".gz") else open
        with op(args.teacher_cache, "rt") as f:
            for line in f:
                r = json.loads(line)
                teacher[r["frame"]] = r["boxes"]
    want = [int(s) for s in args.frames.split(",")]
    tiles = {}
    cap = cv2.VideoCapture(args.video)
    i = 0
    while len(tiles) < len(want):
        ok, img = cap.read()
        if not ok:
            break
        if i in want:
            for b in teacher.get(i, []):
                if b[4] >= doc["recipe"]["min_score"]:
                    x, y, w, h = (int(round(v)) for v in b[:4])
                    cv2.rectangle(img, (x, y), (x + w, y + h), (160, 160, 160), 1)
            for k, inst in enumerate(by_frame.get(i, [])):
                c = PALETTE[k % len(PALETTE)][::-1]
                m = rle.decode(inst["rle"])
                img[m] = (0.3 * img[m] + 0.7 * np.array(c)).astype(np.uint8)
                x, y, w, h = inst["bbox"]
                cv2.rectangle(img, (x, y), (x + w - 1, y + h - 1), c, 2)
                cv2.putText(img, f"{inst['score']:.2f}", (x, max(10, y - 3)), cv2.FONT_HERSHEY_SIMPLEX, 0.4, c, 1)
            cv2.putText(img, f"frame {i}: {len(by_frame.get(i, []))} inst", (8, 22),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.7, (255, 255, 255), 2)
            if args.crop:
                cx, cy, cw, ch = (int(v) for v in args.crop.split(","))
                img = img[cy:cy + ch, cx:cx + cw]
            tiles[i] = cv2.resize(img, None, fx=args.scale, fy=args.scale, interpolation=cv2.INTER_AREA)
        i += 1
    cap.release()
    th, tw = next(iter(tiles.values())).shape[:2]
    rows = (len(want) + args.cols - 1) // args.cols
    sheet = np.zeros((rows * th, args.cols * tw, 3), dtype=np.uint8)
    for n, fi in enumerate(want):
        if fi in tiles:
            r, c = divmod(n, args.cols)
            sheet[r * th:(r + 1) * th, c * tw:(c + 1) * tw] = tiles[fi]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    try:  # a 256-colour palette PNG is about 3x smaller than 24-bit
        from PIL import Image
        Image.fromarray(sheet[:, :, ::-1]).quantize(256, dither=Image.Dither.NONE).save(args.out, optimize=True)
    except ImportError:
        if not cv2.imwrite(args.out, sheet, [cv2.IMWRITE_PNG_COMPRESSION, 9]):
            raise SystemExit(f"cannot write {args.out}")
    print(f"wrote {args.out} ({sheet.shape[1]}x{sheet.shape[0]})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
