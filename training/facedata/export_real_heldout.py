#!/usr/bin/python3
"""Held-out identities of the real-face data as one folder per person, for `./bitvision calibrate --images DIR`
(the job's detector, alignment and embedder on photos of people no model was trained on).

Reads the boxes file of real_faces.py (--boxes-cache) or its output; links (or copies) every held-out photo that has a
person into DIR/<source>-<person>/. Persons with one photo are exported too: they give impostor pairs only.

    /usr/bin/python3 training/facedata/export_real_heldout.py --faces ROOT/real-boxes.jsonl.gz --out /tmp/heldout-real
"""
import argparse
import gzip
import json
import os
import re
import shutil

import cv2


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--faces", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sources", default=None, help="comma-separated sources (default: every held-out one)")
    args = ap.parse_args(argv)
    wanted = set(args.sources.split(",")) if args.sources else None
    per_person = {}
    with gzip.open(args.faces, "rt") as f:
        for line in f:
            entry = json.loads(line)
            if entry.get("type") != "image" or entry.get("split") != "held_out" or not entry.get("person"):
                continue
            if wanted and entry["source"] not in wanted:
                continue
            folder = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{entry['source']}-{entry['person']}")
            per_person.setdefault(folder, []).append(entry["path"])
    os.makedirs(args.out, exist_ok=True)
    for folder, paths in per_person.items():
        os.makedirs(os.path.join(args.out, folder), exist_ok=True)
        for k, path in enumerate(paths):
            with open(path, "rb") as f:
                head = f.read(8)
            if head.startswith(b"\xff\xd8") or head.startswith(b"\x89PNG"):  # what javax.imageio reads
                ext = ".png" if head.startswith(b"\x89PNG") else ".jpg"
                target = os.path.join(args.out, folder, f"{k:03d}{ext}")
                if not os.path.exists(target):
                    shutil.copyfile(path, target)
            else:  # WebP, GIF and others: re-encoded losslessly as PNG
                cv2.imwrite(os.path.join(args.out, folder, f"{k:03d}.png"), cv2.imread(path, cv2.IMREAD_COLOR))
    photos = sum(len(p) for p in per_person.values())
    multi = sum(1 for p in per_person.values() if len(p) >= 2)
    print(f"{len(per_person)} persons ({multi} with 2+ photos), {photos} photos -> {args.out}")


if __name__ == "__main__":
    main()
