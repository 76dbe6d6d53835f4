#!/usr/bin/python3
"""Held-out face-detection labels for `./bitvision eval-faces` (docs/face-model.md "Held-out photos").

dlib's examples/faces (davisking/dlib @ 3d40bf5, Boost licence): nine PASCAL VOC 2011 photos whose 43 face boxes were
drawn by hand (training.xml, testing.xml); their 68 landmarks come from dlib's shape predictor, reduced here to the
five points of our aligner (eye centres = means of 36-41 and 42-47, nose tip 30, mouth corners 48 and 54). No part of
our training sees these photos (real-sources.json marks the source held out).

    /usr/bin/python3 training/facedata/heldout_labels.py --dlib /work/data/faces/found/davisking+dlib/examples/faces \
        --out training/data/faces/heldout-dlib.json

--teacher ROOT/real-boxes.jsonl.gz writes instead the teacher's (YuNet's) faces on the held-out group photos of
real_faces.py (compreface, group-photos, the held-out half of linzaer-groups), photos named relative to ROOT: a larger
set that measures agreement with the teacher, not truth.
"""
import argparse
import json
import os
import xml.etree.ElementTree as ET


def five_points(parts):
    p = {int(k): v for k, v in parts.items()}

    def mean(ids):
        return [round(sum(p[i][0] for i in ids) / len(ids), 2), round(sum(p[i][1] for i in ids) / len(ids), 2)]

    return [mean(range(36, 42)), mean(range(42, 48)), list(p[30]), list(p[48]), list(p[54])]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dlib", help="the examples/faces folder of davisking/dlib")
    ap.add_argument("--teacher", help="real_faces.py's boxes file: the teacher's faces on held-out group photos")
    ap.add_argument("--root", help="with --teacher: the folder the photo paths are made relative to")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    if args.teacher:
        return teacher_labels(args)
    images = []
    for xml in ("training_with_face_landmarks.xml", "testing_with_face_landmarks.xml"):
        root = ET.parse(os.path.join(args.dlib, xml)).getroot()
        for image in root.iter("image"):
            faces = []
            for box in image.iter("box"):
                parts = {part.get("name"): (float(part.get("x")), float(part.get("y"))) for part in box.iter("part")}
                entry = {"box": [float(box.get(k)) for k in ("left", "top", "width", "height")],
                         "landmarks5": five_points(parts) if len(parts) == 68 else None}
                if box.get("ignore") == "1":
                    continue
                faces.append(entry)
            images.append({"file": image.get("file"), "width": int(image.get("width")),
                           "height": int(image.get("height")), "faces": faces, "ignore": []})
    labels = {
        "description": "dlib examples/faces: nine PASCAL VOC 2011 photos, face boxes drawn by hand; landmarks from "
                       "dlib's 68-point predictor reduced to five",
        "source": {"repo": "davisking/dlib", "commit": "3d40bf5790ca9073c160cebb898800d9f33e12ab",
                   "path": "examples/faces", "licence": "Boost Software License 1.0 (repository)"},
        "root_hint": "the examples/faces folder of that commit",
        "min_size": 24, "iou": 0.4,
        "checked": "boxes are dlib's hand labels; each photo looked over against them (bench-results/eval-faces-*.png)",
        "images": images,
    }
    with open(args.out, "w") as f:
        json.dump(labels, f, indent=1)
    print(f"{len(images)} images, {sum(len(i['faces']) for i in images)} faces -> {args.out}")


def teacher_labels(args):
    import gzip
    images = []
    with gzip.open(args.teacher, "rt") as f:
        for line in f:
            e = json.loads(line)
            if e.get("type") != "image" or e.get("split") != "held_out" or e["source"] not in TEACHER_SOURCES:
                continue
            if e.get("scale", 1.0) != 1.0:
                continue  # labels must be in the photo's own pixels
            images.append({"file": os.path.relpath(e["path"], args.root), "width": e["width"], "height": e["height"],
                           "faces": [{"box": fc["box"], "landmarks5": fc["landmarks5"]} for fc in e["faces"]],
                           "ignore": []})
    labels = {"description": "held-out group photos with the teacher's faces (YuNet yunet_s_640_640, score >= 0.6, "
                             "whole photo plus full-resolution tiles): agreement with the teacher, not truth",
              "source": {"recipe": "training/facedata/real-sources.json", "sources": ", ".join(TEACHER_SOURCES)},
              "min_size": 24, "iou": 0.5, "checked": "not checked by hand; see heldout-dlib.json for hand labels",
              "images": images}
    with open(args.out, "w") as f:
        json.dump(labels, f, indent=1)
    print(f"{len(images)} images, {sum(len(i['faces']) for i in images)} faces -> {args.out}")


TEACHER_SOURCES = ("compreface", "group-photos", "linzaer-groups")


if __name__ == "__main__":
    main()
