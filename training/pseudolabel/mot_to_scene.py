"""A MOTChallenge sequence's frames and ground truth as an eval scene: a video of the frames in img1/ and scene labels
(docs/person-model.md, "Scene labels") for `./bitvision eval`.

    /usr/bin/python3 mot_to_scene.py --sequence DIR --scene NAME --video OUT.avi --labels OUT.json

Pedestrians (class 1, considered) at least a quarter visible are boxes; other people (class 2 on a vehicle, 7 static,
8 distractor, 12 reflection), pedestrians less than a quarter visible and rows flagged not considered are ignore
regions. Frame k of the video is MOT frame k + 1. The labels keep the MOT ids, so `eval` also measures tracks.
MOTChallenge data is CC BY-NC-SA 3.0: keep both outputs out of the repository.
"""
import argparse
import configparser
import glob
import json
import os

import cv2

PEOPLE_TO_IGNORE = {2, 7, 8, 12}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sequence", required=True)
    p.add_argument("--scene", required=True)
    p.add_argument("--video", required=True)
    p.add_argument("--labels", required=True)
    p.add_argument("--min-visibility", type=float, default=0.25)
    a = p.parse_args(argv)
    info = configparser.ConfigParser()
    info.read(os.path.join(a.sequence, "seqinfo.ini"))
    fps = float(info["Sequence"]["frameRate"])
    images = sorted(glob.glob(os.path.join(a.sequence, "img1", "*.jpg")))
    first = cv2.imread(images[0])
    writer = cv2.VideoWriter(a.video, cv2.VideoWriter_fourcc(*"MJPG"), fps, (first.shape[1], first.shape[0]))
    for path in images:
        writer.write(cv2.imread(path))
    writer.release()
    numbers = [int(os.path.splitext(os.path.basename(p))[0]) for p in images]
    frames = {n: {"frame": k, "boxes": [], "ids": [], "ignore": []} for k, n in enumerate(numbers)}
    with open(os.path.join(a.sequence, "gt", "gt.txt")) as f:
        for line in f:
            n, pid, x, y, w, h, considered, cls, vis = line.strip().split(",")[:9]
            n = int(n)
            if n not in frames:
                continue
            box = [round(float(x)), round(float(y)), round(float(w)), round(float(h))]
            cls = int(cls)
            if cls == 1 and int(considered) == 1 and float(vis) >= a.min_visibility:
                frames[n]["boxes"].append(box)
                frames[n]["ids"].append(pid)
            elif cls == 1 or cls in PEOPLE_TO_IGNORE:
                frames[n]["ignore"].append(box)
    labels = {"scene": a.scene, "source": f"MOTChallenge {info['Sequence']['name']} ({len(images)} frames here), "
              "CC BY-NC-SA 3.0", "min_height": 40,
              "checked": "MOTChallenge's own hand-made ground truth, converted by mot_to_scene.py",
              "frames": [frames[n] for n in numbers]}
    with open(a.labels, "w") as f:
        json.dump(labels, f)
    print(f"{len(images)} frames, {sum(len(fr['boxes']) for fr in labels['frames'])} boxes -> {a.video}, {a.labels}")


if __name__ == "__main__":
    main()
