#!/usr/bin/python3
"""Contact sheet of the face teacher data: boxes coloured by pseudo-identity, "id score" above each box,
the 5 landmarks (left eye red, right eye blue, nose tip green, left mouth corner yellow, right mouth
corner magenta; left/right as seen in the image); identity -1 (too small for a descriptor) in grey.

  /usr/bin/python3 contact_sheet.py --faces ../data/faces/faces.jsonl.gz --out ../../docs/images/face-teacher.png

A tile is IMAGE_ID or IMAGE_ID@x,y,w,h (a crop, image pixels); "lfw" makes a mosaic of LFW crops.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_faces as B  # noqa: E402

PALETTE = [(230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48), (145, 30, 180),
           (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212), (0, 128, 128), (170, 110, 40)]
LM_COLOURS = [(255, 0, 0), (0, 90, 255), (0, 220, 0), (255, 255, 0), (255, 0, 255)]  # RGB
DEFAULT_TILES = ("megamind:0040;megamind:0120;face-api:sample5.jpg@250,0,1600,1200;"
                 "skimage:astronaut.png@100,0,280,250;matplotlib:grace_hopper.jpg@80,60,360,330;"
                 "opencv:messi5.jpg@170,50,140,120;human:screenshot-facematch.jpg@0,280,560,380;"
                 "opencv:basketball1.png@20,60,140,120;lfw")


def entry(rec: dict) -> B.Image:
    path = rec["path"] if os.path.isabs(rec["path"]) else os.path.join(B.REPO, rec["path"])
    return B.Image(rec["image"], rec["source"], rec["kind"], path, frame=rec.get("frame"), index=rec.get("index"))


def draw_faces(canvas: np.ndarray, faces: list, sx: float, sy: float, ox: float, oy: float, font: float = 0.45):
    for f in faces:
        k = f["identity"]
        col = PALETTE[k % len(PALETTE)] if k >= 0 else (150, 150, 150)
        x, y, w, h = f["box"]
        p0 = (int(round((x - ox) * sx)), int(round((y - oy) * sy)))
        p1 = (int(round((x + w - ox) * sx)), int(round((y + h - oy) * sy)))
        cv2.rectangle(canvas, p0, p1, col, 2)
        label = f"id{k} {f['score']:.2f}"
        (tw, th), _ = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, font, 1)
        ty = max(th + 2, p0[1] - 3)
        cv2.rectangle(canvas, (p0[0], ty - th - 2), (p0[0] + tw + 2, ty + 2), (0, 0, 0), -1)
        cv2.putText(canvas, label, (p0[0] + 1, ty), cv2.FONT_HERSHEY_SIMPLEX, font, col, 1, cv2.LINE_AA)
        r = max(2, int(round(min(p1[0] - p0[0], p1[1] - p0[1]) / 30)))
        for (lx, ly), c in zip(f["landmarks5"], LM_COLOURS):
            cv2.circle(canvas, (int(round((lx - ox) * sx)), int(round((ly - oy) * sy))), r, c, -1, cv2.LINE_AA)


def tile_image(rec: dict, crop, tw: int, th: int) -> np.ndarray:
    rgb = B.load_image(entry(rec))
    H, W = rgb.shape[:2]
    x, y, w, h = crop if crop else (0, 0, W, H)
    x, y = max(0, x), max(0, y)
    w, h = min(W - x, w), min(H - y, h)
    s = min(tw / w, th / h)
    part = cv2.resize(rgb[y:y + h, x:x + w], (max(1, int(w * s)), max(1, int(h * s))),
                      interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC)
    canvas = np.zeros((th, tw, 3), np.uint8)
    canvas[:part.shape[0], :part.shape[1]] = part
    draw_faces(canvas, rec["faces"], s, s, x, y)
    return canvas


def lfw_mosaic(recs: list, tw: int, th: int, n: int = 12) -> np.ndarray:
    canvas = np.zeros((th, tw, 3), np.uint8)
    cols = 4
    cell = min(tw // cols, (th - 16) // ((n + cols - 1) // cols))
    chosen = [r for r in recs if r["kind"] == "lfw_crop" and r["faces"]][:n]
    for i, rec in enumerate(chosen):
        rgb = B.load_image(entry(rec))
        s = cell / rgb.shape[1]
        big = cv2.resize(rgb, (cell, cell), interpolation=cv2.INTER_CUBIC)
        draw_faces(big, rec["faces"], s, s, 0, 0, font=0.3)
        r, c = divmod(i, cols)
        canvas[16 + r * cell:16 + (r + 1) * cell, c * cell:(c + 1) * cell] = big
    cv2.putText(canvas, "skimage lfw_subset (25x25, upscaled)", (2, 12), cv2.FONT_HERSHEY_SIMPLEX, 0.4,
                (255, 255, 255), 1, cv2.LINE_AA)
    return canvas


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--faces", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--tiles", default=DEFAULT_TILES, help="';'-separated IMAGE_ID[@x,y,w,h] or 'lfw'")
    ap.add_argument("--cols", type=int, default=3)
    ap.add_argument("--tile-size", default="420x315")
    args = ap.parse_args(argv)
    tw, th = (int(v) for v in args.tile_size.split("x"))
    with gzip.open(args.faces, "rt", encoding="utf-8") as f:
        lines = [json.loads(line) for line in f]
    recs = [r for r in lines if r.get("type") == "image"]
    by_id = {r["image"]: r for r in recs}
    tiles = []
    for spec in args.tiles.split(";"):
        if spec == "lfw":
            t = lfw_mosaic(recs, tw, th)
            name = "lfw"
        else:
            iid, _, c = spec.partition("@")
            t = tile_image(by_id[iid], [int(v) for v in c.split(",")] if c else None, tw, th)
            name = iid
        cv2.putText(t, name, (4, th - 6), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (255, 255, 255), 1, cv2.LINE_AA)
        tiles.append(t)
    while len(tiles) % args.cols:
        tiles.append(np.zeros((th, tw, 3), np.uint8))
    rows = [np.hstack([cv2.copyMakeBorder(t, 2, 2, 2, 2, cv2.BORDER_CONSTANT, value=(255, 255, 255))
                       for t in tiles[i:i + args.cols]]) for i in range(0, len(tiles), args.cols)]
    sheet = np.vstack(rows)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    try:  # a 256-colour palette PNG is about a third of the size
        from PIL import Image as PILImage
        PILImage.fromarray(sheet).quantize(256, method=PILImage.Quantize.MEDIANCUT).save(args.out, optimize=True)
    except ImportError:
        cv2.imwrite(args.out, cv2.cvtColor(sheet, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_PNG_COMPRESSION, 9])
    print(f"wrote {args.out} ({sheet.shape[1]}x{sheet.shape[0]}, {len(tiles)} tiles)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
