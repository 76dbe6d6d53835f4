#!/usr/bin/python3
"""Contact sheet of the real-face data with both teachers' work on it: YuNet's box and five landmarks (left eye red,
right eye blue, nose green, mouth corners yellow and magenta) on every face; a face with a face-api descriptor is
boxed in green, one without (too small, or face-api found no face there) in grey. Each tile is titled with its
source, person and split. Two photos per source, chosen by a stable hash.

    /usr/bin/python3 training/facedata/real_sheet.py --faces ROOT/real-faces.jsonl.gz --out docs/images/face-real-teachers.png
"""
import argparse
import gzip
import json
import zlib

import cv2
import numpy as np

LM = [(0, 0, 255), (255, 90, 0), (0, 220, 0), (0, 255, 255), (255, 0, 255)]  # BGR
TILE_W, TILE_H, COLUMNS = 320, 240, 6


def tile(entry):
    bgr = cv2.imread(entry["path"], cv2.IMREAD_COLOR)
    if bgr is None:
        return None
    if entry.get("scale", 1.0) != 1.0:
        bgr = cv2.resize(bgr, (entry["width"], entry["height"]), interpolation=cv2.INTER_AREA)
    s = min(TILE_W / bgr.shape[1], (TILE_H - 18) / bgr.shape[0])
    img = cv2.resize(bgr, (max(1, int(bgr.shape[1] * s)), max(1, int(bgr.shape[0] * s))), interpolation=cv2.INTER_AREA)
    for f in entry["faces"]:
        x, y, w, h = [v * s for v in f["box"]]
        colour = (0, 200, 0) if f.get("descriptor") is not None else (150, 150, 150)
        cv2.rectangle(img, (int(x), int(y)), (int(x + w), int(y + h)), colour, 1)
        for k, (lx, ly) in enumerate(f["landmarks5"]):
            cv2.circle(img, (int(lx * s), int(ly * s)), 1, LM[k], -1)
    out = np.full((TILE_H, TILE_W, 3), 30, np.uint8)
    out[18:18 + img.shape[0], :img.shape[1]] = img
    title = f"{entry['source']} {entry.get('person') or ''} [{entry['split']}]"[:44]
    cv2.putText(out, title, (3, 13), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (255, 255, 255), 1, cv2.LINE_AA)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--faces", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--per-source", type=int, default=2)
    args = ap.parse_args(argv)
    by_source = {}
    with gzip.open(args.faces, "rt") as f:
        for line in f:
            e = json.loads(line)
            if e.get("type") == "image" and e["faces"]:
                by_source.setdefault(e["source"], []).append(e)
    tiles = []
    for source in sorted(by_source):
        chosen = sorted(by_source[source], key=lambda e: zlib.crc32(e["image"].encode()))[:args.per_source]
        tiles += [t for t in (tile(e) for e in chosen) if t is not None]
    rows = []
    for i in range(0, len(tiles), COLUMNS):
        row = tiles[i:i + COLUMNS]
        row += [np.full((TILE_H, TILE_W, 3), 30, np.uint8)] * (COLUMNS - len(row))
        rows.append(np.concatenate(row, 1))
    cv2.imwrite(args.out, np.concatenate(rows, 0))
    print(f"{len(tiles)} photos from {len(by_source)} sources -> {args.out}")


if __name__ == "__main__":
    main()
