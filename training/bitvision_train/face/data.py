"""The teacher-labelled faces of training/data/faces/faces.jsonl.gz (training/facedata/build_faces.py), with a way
to get each face's source image back (nothing but boxes, landmarks and descriptors is stored)."""
import gzip
import json
import os
import zlib

import cv2
import numpy as np

from ..common import paths

ROOT = paths.REPO


class Sources:
    """Decodes each source once: video frames, photos, the LFW crops of skimage's lfw_subset.npy."""

    def __init__(self):
        self.cache = {}

    def rgb(self, entry):
        key = entry["image"]
        if key not in self.cache:
            self.cache[key] = self._load(entry)
        return self.cache[key]

    def _load(self, entry):
        path = entry["path"] if os.path.isabs(entry["path"]) else os.path.join(ROOT, entry["path"])
        kind = entry["kind"]
        if kind == "video_frame":
            cap = cv2.VideoCapture(path)
            cap.set(cv2.CAP_PROP_POS_FRAMES, entry["frame"])
            ok, bgr = cap.read()
            cap.release()
            if not ok:
                raise IOError(f"cannot read frame {entry['frame']} of {path}")
            return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        if kind == "lfw_crop":
            gray = np.load(path)[entry["index"]]
            gray = np.clip(np.round(gray * 255 if gray.max() <= 1.0 else gray), 0, 255).astype(np.uint8)
            return np.repeat(gray[:, :, None], 3, axis=2)
        bgr = cv2.imread(path, cv2.IMREAD_COLOR)
        if bgr is None:
            raise IOError(f"cannot read {path}")
        return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def held_out(image_id):
    """Every 5th source image (by a stable hash of its id) is held out: faces of one image stay together."""
    return zlib.crc32(image_id.encode()) % 5 == 0


def load_faces(path):
    """Faces with plausible landmarks: dicts with landmarks5, descriptor, identity (-1 = none), held_out and rgb()
    (the source image, decoded on demand). Screenshots (which repeat the sample photos) are training-only."""
    sources = Sources()
    faces = []
    with gzip.open(path, "rt") as f:
        for line in f:
            entry = json.loads(line)
            if entry.get("type") != "image":
                continue
            for face in entry.get("faces") or []:
                if not face.get("landmarks_ok", True):
                    continue
                faces.append({
                    "image": entry["image"], "landmarks5": face["landmarks5"], "descriptor": face["descriptor"],
                    "identity": face.get("identity", -1),
                    "held_out": held_out(entry["image"]) and not entry.get("overlay", False),
                    "rgb": (lambda e=entry: sources.rgb(e)),
                })
    return faces
