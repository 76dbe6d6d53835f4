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


def entry_held_out(entry):
    """An image's split: its own "split" where the data names one (real_faces.py splits by source and person),
    else held_out() of its id; screenshots (which repeat the sample photos) are training-only."""
    if "split" in entry:
        return entry["split"] == "held_out"
    return held_out(entry["image"]) and not entry.get("overlay", False)


def image_entries(paths):
    """The image lines of one or more face files (several files: identities are kept apart by file)."""
    for k, path in enumerate(paths if isinstance(paths, (list, tuple)) else [paths]):
        with gzip.open(path, "rt") as f:
            for line in f:
                entry = json.loads(line)
                if entry.get("type") != "image":
                    continue
                if k:
                    for face in entry.get("faces") or []:
                        if face.get("identity", -1) >= 0:
                            face["identity"] += 1_000_000 * k
                yield entry


def load_faces(path):
    """Faces (of one face file or a list of them) with plausible landmarks and a descriptor: dicts with landmarks5, descriptor, identity (-1 = none), held_out and rgb()
    (the source image, decoded on demand). Screenshots (which repeat the sample photos) are training-only."""
    sources = Sources()
    faces = []
    for entry in image_entries(path):
        for face in entry.get("faces") or []:
            if not face.get("landmarks_ok", True) or face.get("descriptor") is None:
                continue
            faces.append({
                "image": entry["image"], "source": entry.get("source", entry["kind"]),
                "landmarks5": face["landmarks5"], "descriptor": face["descriptor"],
                "identity": face.get("identity", -1), "held_out": entry_held_out(entry),
                "rgb": (lambda e=entry: sources.rgb(e)),
            })
    return faces
