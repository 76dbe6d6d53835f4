#!/usr/bin/python3
"""Real faces from public repositories (training/facedata/real-sources.json), labelled by two teachers.

Teachers:
  boxes, scores, five landmarks  YuNet (facedata/yunet.py; whole image plus full-resolution tiles)
  128-d descriptor               face-api (../teacher/detect-faces.mjs) on a crop around each YuNet face: the crop
                                 is the face box grown 2x, scaled so the face is about 150 px; face-api's face whose
                                 box best overlaps the YuNet box (IoU >= 0.3) gives the descriptor.
Identities come from the source's layout (a folder per person, a file-name prefix, or a same-person pairs file),
never from clustering. Near-identical images (256-bit difference hash within DUPLICATE_BITS of an earlier image's) are dropped.
Splits are by source (a whole source is held out), by person ("persons": every Nth person by a stable hash of the
name, all of that person's photos), or, for a source marked "alternate", by image: photos of different scenes, no
person repeated across them.

Output (gzip JSON lines, the layout of data/faces/faces.jsonl.gz so face.train reads it): per image
{"type": "image", "image", "source", "kind": "photo", "path" (absolute), "width", "height", "split",
 "person" (source-local name or null), "faces": [{"face", "box", "score", "landmarks5", "descriptor" | null,
 "identity" (global int, -1 = unknown), "landmarks_ok": true}]}
then the first line holds {"type": "meta", "sources", "stats"}.

    /usr/bin/python3 training/facedata/real_faces.py --root /work/data/faces --out /work/data/faces/real-faces.jsonl.gz
"""
from __future__ import annotations

import argparse
import csv
import glob
import gzip
import json
import os
import sys
import time
import zlib

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
from bitvision_train.common.teacher import box_overlap, run_node_teacher  # noqa: E402
from yunet import YuNet  # noqa: E402

TEACHER = os.path.join(os.path.dirname(HERE), "teacher", "detect-faces.mjs")
DUPLICATE_BITS = 6  # of the 256-bit difference hash: a re-encoded or re-scaled copy, a still frame
IMAGE_EXT = (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".pgm", ".ppm", ".gif", ".tif", ".tiff")


def log(msg):
    print(f"[real_faces {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def images_of(source, root):
    """(path, person or None) for every image of a source, by its layout."""
    base = os.path.join(root, source["dir"])
    layout = source["layout"]
    files = sorted(p for p in glob.glob(os.path.join(base, "**", "*"), recursive=True)
                   if p.lower().endswith(IMAGE_EXT) and os.path.isfile(p))
    if layout == "folders":
        return [(p, os.path.relpath(os.path.dirname(p), base).replace(os.sep, "/")) for p in files
                if os.path.dirname(p) != base]
    if layout == "folders_leaf":  # split/person/...: the person is the innermost folder, across splits
        return [(p, os.path.basename(os.path.dirname(p))) for p in files if os.path.dirname(p) != base]
    if layout == "prefix":  # "<person> (<k>).jpg" beside the folders
        out = []
        for p in files:
            if os.path.dirname(p) == base:
                name = os.path.basename(p)
                out.append((p, name.split(" ")[0] if " (" in name else None))
            else:
                out.append((p, os.path.basename(os.path.dirname(p))))
        return [(p, who) for p, who in out if who is not None]
    if layout == "pairs":
        return pairs_identities(base, source["pairs"], files)
    if layout == "photos":
        return [(p, None) for p in files]
    raise SystemExit(f"unknown layout {layout!r} in source {source['name']}")


def per_person_limits(found, min_per_person, max_per_person):
    """Persons with fewer than min_per_person images dropped; the first max_per_person (by name) kept."""
    by_person = {}
    for path, person in found:
        by_person.setdefault(person, []).append(path)
    out = []
    for path, person in found:
        paths = by_person[person]
        if person is not None and len(paths) < min_per_person:
            continue
        if person is not None and max_per_person and paths.index(path) >= max_per_person:
            continue
        out.append((path, person))
    return out


def pairs_identities(base, pairs_file, files):
    """Persons from a same/different pairs file: union of every 'Yes' pair; an image in no 'Yes' pair is its own."""
    parent = {}

    def find(a):
        while parent.setdefault(a, a) != a:
            a = parent[a]
        return a

    with open(os.path.join(base, pairs_file)) as f:
        for row in csv.DictReader(f):
            a, b = find(os.path.basename(row["file_x"])), find(os.path.basename(row["file_y"]))
            decision = row.get("Decision", row.get("decision", ""))
            if decision.strip().lower() == "yes":
                parent[a] = b
    listed = {os.path.basename(p) for p in files}
    return [(os.path.join(base, name), "p" + find(name)) for name in sorted(listed) if name in parent]


def dhash(gray):
    small = cv2.resize(gray, (17, 16), interpolation=cv2.INTER_AREA)
    bits = (small[:, 1:] > small[:, :-1]).flatten()
    return int("".join("1" if b else "0" for b in bits), 2)


def read_bgr(path):
    if path.lower().endswith(".gif"):
        cap = cv2.VideoCapture(path)
        ok, bgr = cap.read()
        cap.release()
        return bgr if ok else None
    return cv2.imread(path, cv2.IMREAD_COLOR)


def descriptor_crop(rgb, box, target=150):
    """A crop around the face (box grown 2x), scaled so the face is about `target` px; the transform back."""
    x, y, w, h = box
    cx, cy, side = x + w / 2, y + h / 2, max(w, h) * 2.0
    x0, y0 = int(max(0, cx - side / 2)), int(max(0, cy - side / 2))
    x1, y1 = int(min(rgb.shape[1], cx + side / 2)), int(min(rgb.shape[0], cy + side / 2))
    crop = rgb[y0:y1, x0:x1]
    scale = target / max(w, h)
    crop = cv2.resize(crop, (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale))),
                      interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    return crop, (scale, x0, y0)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", required=True, help="folder holding each source's files (real-sources.json 'dir')")
    ap.add_argument("--recipe", default=os.path.join(HERE, "real-sources.json"))
    ap.add_argument("--yunet", default=None, help="default: ROOT/yunet/onnx/yunet_s_640_640.onnx")
    ap.add_argument("--out", required=True)
    ap.add_argument("--min-score", type=float, default=0.6, help="YuNet faces kept")
    ap.add_argument("--descriptor-min-size", type=float, default=28, help="smaller faces get no descriptor")
    ap.add_argument("--max-descriptors", type=int, default=40, help="per image, largest faces first")
    ap.add_argument("--max-side", type=int, default=1600, help="larger images are scaled down first")
    ap.add_argument("--only", default=None, help="comma-separated source names")
    ap.add_argument("--boxes-cache", default=None,
                    help="YuNet's labels before descriptors (same layout, no identities): read if present, else written")
    args = ap.parse_args(argv)

    with open(args.recipe) as f:
        recipe = json.load(f)
    sources = [s for s in recipe["sources"] if not args.only or s["name"] in args.only.split(",")]
    yunet = YuNet(args.yunet or os.path.join(args.root, "yunet", "onnx", "yunet_s_640_640.onnx"))

    if args.boxes_cache and os.path.exists(args.boxes_cache):
        with gzip.open(args.boxes_cache, "rt") as f:
            cached = json.loads(f.readline())
            entries = [json.loads(line) for line in f]
        stats = cached["stats"]
        log(f"boxes from {args.boxes_cache}: {len(entries)} images")
    else:
        entries, stats = label_boxes(sources, args, yunet)
        if args.boxes_cache:
            with gzip.open(args.boxes_cache, "wt") as f:
                f.write(json.dumps({"type": "meta", "stats": stats}) + "\n")
                for entry in entries:
                    f.write(json.dumps(entry) + "\n")
            log(f"wrote {args.boxes_cache}")
    crops = descriptor_crops(entries, args)
    run_descriptors(entries, crops)
    write_output(entries, stats, sources, args)


def label_boxes(sources, args, yunet):
    """YuNet's faces on every image of every source (near-duplicates dropped); stats per source."""
    seen_hashes = []
    entries = []
    stats = {}
    for source in sources:
        found = per_person_limits(images_of(source, args.root), source.get("min_per_person", 1),
                                  source.get("max_per_person"))
        st = stats.setdefault(source["name"], {"images": 0, "duplicates": 0, "unreadable": 0, "faces": 0,
                                               "persons": set()})
        log(f"{source['name']}: {len(found)} images")
        for path, person in found:
            bgr = read_bgr(path)
            if bgr is None:
                st["unreadable"] += 1
                continue
            if max(bgr.shape[:2]) > args.max_side:
                s = args.max_side / max(bgr.shape[:2])
                bgr = cv2.resize(bgr, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
                scaled = s
            else:
                scaled = 1.0
            h = dhash(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY))
            if any(bin(h ^ o).count("1") <= DUPLICATE_BITS for o in seen_hashes):
                st["duplicates"] += 1
                continue
            seen_hashes.append(h)
            faces = yunet.detect(bgr, min_score=args.min_score)
            if person is not None and len(faces) > 1:
                # a portrait folder: the person is the largest face; others are bystanders without identity
                faces.sort(key=lambda f: -f["box"][2] * f["box"][3])
            image_id = f"{source['name']}/{os.path.relpath(path, os.path.join(args.root, source['dir']))}"
            split = source["split"]
            if split == "alternate":
                split = "held_out" if zlib.crc32(image_id.encode()) % 2 == 0 else "train"
            elif split == "persons":  # whole persons held out, every Nth by a stable hash of the name
                split = "held_out" if zlib.crc32(person.encode()) % source["held_out_every"] == 0 else "train"
            entry = {"type": "image", "image": image_id, "source": source["name"], "kind": "photo",
                     "path": os.path.abspath(path), "scale": scaled, "width": bgr.shape[1], "height": bgr.shape[0],
                     "split": split, "person": person, "faces": []}
            order = sorted(range(len(faces)), key=lambda i: -faces[i]["box"][2] * faces[i]["box"][3])
            for rank, i in enumerate(order):  # largest first: a portrait folder's person is its largest face
                f = faces[i]
                entry["faces"].append({"face": i, "box": f["box"], "score": f["score"], "landmarks5": f["landmarks5"],
                                       "landmarks_ok": True, "descriptor": None,
                                       "person": person if (person is not None and rank == 0) else None})
            st["images"] += 1
            st["faces"] += len(faces)
            if person is not None and faces:
                st["persons"].add(person)
            entries.append(entry)
        log(f"{source['name']}: {st['images']} kept, {st['duplicates']} near-duplicates, {st['faces']} faces")
    for st in stats.values():
        st["persons"] = len(st["persons"])
    return entries, stats


def load_rgb(entry):
    bgr = read_bgr(entry["path"])
    if entry.get("scale", 1.0) != 1.0:
        bgr = cv2.resize(bgr, (entry["width"], entry["height"]), interpolation=cv2.INTER_AREA)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def descriptor_crops(entries, args):
    """(id, crop, transform, box) for each face that gets a descriptor: the largest --max-descriptors of an image
    that are at least --descriptor-min-size px."""
    crops = []
    for e, entry in enumerate(entries):
        wanted = [k for k, f in enumerate(entry["faces"][:args.max_descriptors])
                  if min(f["box"][2:]) >= args.descriptor_min_size]
        if not wanted:
            continue
        rgb = load_rgb(entry)
        for k in wanted:
            crop, tr = descriptor_crop(rgb, entry["faces"][k]["box"])
            crops.append((f"{e}:{k}", crop, tr, entry["faces"][k]["box"]))
    return crops


def run_descriptors(entries, crops):
    log(f"face-api on {len(crops)} face crops")
    by_id = {c[0]: c for c in crops}

    def chunks():
        for cid, crop, _, _ in crops:
            yield (json.dumps({"image": cid, "width": crop.shape[1], "height": crop.shape[0]}) + "\n").encode()
            yield np.ascontiguousarray(crop, dtype=np.uint8).tobytes()

    records = run_node_teacher(TEACHER, ["--input", "-", "--min-score", 0.3], chunks(), log)
    matched = 0
    for rec in records:
        cid, _, (scale, x0, y0), box = by_id[rec["image"]]
        best, best_iou = None, 0.3
        for g in rec["faces"]:
            gx, gy, gw, gh = g["box"]
            mapped = [gx / scale + x0, gy / scale + y0, gw / scale, gh / scale]
            iou = box_overlap(mapped, box)[0]
            if iou >= best_iou:
                best, best_iou = g, iou
        if best is not None:
            e, k = map(int, cid.split(":"))
            entries[e]["faces"][k]["descriptor"] = [round(v, 5) for v in best["descriptor"]]
            matched += 1
    log(f"descriptors: {matched} of {len(crops)} crops matched a face-api face")


def write_output(entries, stats, sources, args):
    matched = sum(1 for e in entries for f in e["faces"] if f.get("descriptor") is not None)
    identity_of = {}
    for entry in entries:
        for face in entry["faces"]:
            who = face.pop("person")
            face["identity"] = -1 if who is None else identity_of.setdefault((entry["source"], who), len(identity_of))
    meta = {"type": "meta", "recipe": os.path.relpath(args.recipe, os.path.dirname(HERE)),
            "teachers": {"boxes": "YuNet yunet_s_640_640.onnx (libfacedetection.train @ 0047ac2)",
                         "descriptor": "face-api 1.7.15 face_recognition_model"},
            "sources": {s["name"]: {k: s[k] for k in ("repo", "commit", "path", "licence", "split")} for s in sources},
            "stats": stats,
            "identities": len(identity_of), "descriptors": matched}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with gzip.open(args.out, "wt") as f:
        f.write(json.dumps(meta) + "\n")
        for entry in entries:
            f.write(json.dumps(entry) + "\n")
    log(f"wrote {args.out}: {len(entries)} images, {sum(len(e['faces']) for e in entries)} faces, "
        f"{len(identity_of)} identities")
    print(json.dumps(meta["stats"], indent=1))


if __name__ == "__main__":
    main()
