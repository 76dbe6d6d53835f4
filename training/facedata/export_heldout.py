#!/usr/bin/python3
"""Held-out faces of data/faces/faces.jsonl.gz as image files, one folder per identity, for `./bitvision calibrate`.

    /usr/bin/python3 training/facedata/export_heldout.py --out /tmp/heldout
    ./bitvision calibrate --images /tmp/heldout --far 0.01

The held-out split is training's (face_data.held_out: every 5th source image by a stable hash of its id, drawn-over
screenshots never), so neither the embedder nor the detector was trained on these images. Faces are those
face_data.load_faces keeps (plausible landmarks) with a pseudo-identity (identity >= 0; -1 = none, skipped).
Identities with one held-out face are exported too: they give impostor pairs only.

Each face is cropped around its teacher box enlarged to 2.2x its width and height (same centre), clipped to the
image, so the detector sees the face with context as in a frame; crops whose long side is under 160 px are upscaled
(cubic) to 160. Written as OUT/<identity>/<image-id>-<face>.png (image id with characters other than letters,
digits, '.', '_' and '-' replaced by '_'), plus OUT/manifest.json: per file the identity, source image, face index,
teacher box and the crop's rectangle in the source image.
"""
import argparse
import collections
import gzip
import json
import os
import re
import sys

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from bitvision_train.face.data import Sources, held_out, load_faces  # noqa: E402

DEFAULT_FACES = os.path.join(os.path.dirname(HERE), "data", "faces", "faces.jsonl.gz")
ENLARGE = 2.2
MIN_LONG_SIDE = 160


def held_out_faces(path):
    """(entry, face) of every held-out face with an identity, filtered as load_faces filters."""
    out = []
    with gzip.open(path, "rt") as f:
        for line in f:
            entry = json.loads(line)
            if entry.get("type") != "image":
                continue
            if not (held_out(entry["image"]) and not entry.get("overlay", False)):
                continue
            for face in entry.get("faces") or []:
                if not face.get("landmarks_ok", True) or face.get("identity", -1) < 0:
                    continue
                out.append((entry, face))
    return out


def crop_rect(box, width, height, enlarge=ENLARGE):
    """The teacher box [x, y, w, h] enlarged about its centre, clipped to the image: integer x0, y0, x1, y1."""
    x, y, w, h = box
    cx, cy = x + w / 2, y + h / 2
    half_w, half_h = w * enlarge / 2, h * enlarge / 2
    x0 = max(0, int(np.floor(cx - half_w)))
    y0 = max(0, int(np.floor(cy - half_h)))
    x1 = min(width, int(np.ceil(cx + half_w)))
    y1 = min(height, int(np.ceil(cy + half_h)))
    if x1 <= x0 or y1 <= y0:
        raise ValueError(f"box {box} lies outside the {width}x{height} image")
    return x0, y0, x1, y1


def upscaled(crop, min_long_side=MIN_LONG_SIDE):
    h, w = crop.shape[:2]
    if max(h, w) >= min_long_side:
        return crop
    scale = min_long_side / max(h, w)
    size = (max(1, int(round(w * scale))), max(1, int(round(h * scale))))
    return cv2.resize(crop, size, interpolation=cv2.INTER_CUBIC)


def safe(name):
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--faces", default=DEFAULT_FACES, help="faces.jsonl.gz (default: %(default)s)")
    parser.add_argument("--out", required=True, help="output folder (one sub-folder per identity)")
    args = parser.parse_args(argv)

    faces = held_out_faces(args.faces)
    # Same selection as training's loader: its held-out faces with an identity, counted per identity.
    expected = collections.Counter(f["identity"] for f in load_faces(args.faces) if f["held_out"] and f["identity"] >= 0)
    got = collections.Counter(face["identity"] for _, face in faces)
    if got != expected:
        raise SystemExit(f"held-out selection differs from face_data.load_faces: {sorted((got - expected).items())} "
                         f"extra, {sorted((expected - got).items())} missing")

    os.makedirs(args.out, exist_ok=True)
    sources = Sources()
    manifest = []
    upscaled_count = 0
    for entry, face in faces:
        rgb = sources.rgb(entry)
        height, width = rgb.shape[:2]
        x0, y0, x1, y1 = crop_rect(face["box"], width, height)
        crop = rgb[y0:y1, x0:x1]
        out = upscaled(crop)
        upscaled_count += out is not crop
        folder = os.path.join(args.out, str(face["identity"]))
        os.makedirs(folder, exist_ok=True)
        name = f"{safe(entry['image'])}-{face['face']}.png"
        if not cv2.imwrite(os.path.join(folder, name), cv2.cvtColor(np.ascontiguousarray(out), cv2.COLOR_RGB2BGR)):
            raise SystemExit(f"cannot write {os.path.join(folder, name)}")
        manifest.append({"file": f"{face['identity']}/{name}", "identity": face["identity"], "image": entry["image"],
                         "source": entry["source"], "face": face["face"], "box": face["box"],
                         "crop": [x0, y0, x1 - x0, y1 - y0], "size": [out.shape[1], out.shape[0]]})
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump({"faces_file": os.path.relpath(args.faces, os.path.dirname(os.path.dirname(HERE))),
                   "enlarge": ENLARGE, "min_long_side": MIN_LONG_SIDE, "files": manifest}, f, indent=1)

    per_identity = collections.Counter(m["identity"] for m in manifest)
    multi = {k: v for k, v in per_identity.items() if v >= 2}
    genuine = sum(v * (v - 1) // 2 for v in per_identity.values())
    total = len(manifest) * (len(manifest) - 1) // 2
    by_source = collections.Counter(m["source"] for m in manifest)
    print(f"exported {len(manifest)} held-out faces of {len(per_identity)} identities "
          f"({len(multi)} with 2+ faces, holding {sum(multi.values())} faces) to {args.out}; "
          f"{upscaled_count} crops upscaled to {MIN_LONG_SIDE} px")
    print(f"pairs if every face is found: {genuine} genuine, {total - genuine} impostor")
    print("by source: " + ", ".join(f"{k} {v}" for k, v in sorted(by_source.items())))


if __name__ == "__main__":
    main()
