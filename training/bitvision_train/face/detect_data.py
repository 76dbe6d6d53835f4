"""Training samples and held-out images for the face detector, from the teacher's faces (faces.jsonl.gz).

Every face the teacher found is a positive (its box; its five landmarks when they passed the plausibility check);
its low-score detections are ignore regions (no heat loss there). Held out: Megamind frames from HELD_OUT_FRAME on
(a contiguous stretch, so no near-duplicate neighbour frame is trained on) and every 5th other image by id hash.
"""
import gzip
import json
import zlib

import cv2
import numpy as np
import torch

from ..common.degrade import degrade
from ..common.video import nearest_indices
from .data import Sources, image_entries
from .detect import INPUT_HEIGHT, INPUT_WIDTH, STRIDE, flip_landmarks, targets
from .paste import FaceDonors, paste_faces

HELD_OUT_FRAME = 216


def held_out(entry):
    if "split" in entry:
        return entry["split"] == "held_out"
    if entry.get("overlay", False):
        return False
    if entry["kind"] == "video_frame":
        return entry["frame"] >= HELD_OUT_FRAME
    return zlib.crc32(entry["image"].encode()) % 5 == 0


def load_backgrounds(specs):
    """Frames of fixed cameras for pasting faces onto: each spec PATH[:EVERY] (a video, GIF or image; every EVERY-th
    frame, default 25), as RGB arrays."""
    frames = []
    for spec in specs or []:
        path, _, every = spec.partition(":")
        every = int(every or 25)
        cap = cv2.VideoCapture(path)
        k = 0
        while True:
            ok, bgr = cap.read()
            if not ok:
                break
            if k % every == 0:
                frames.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
            k += 1
        cap.release()
        if k == 0:
            raise SystemExit(f"background {path}: no frames")
    return frames


def load_images(paths):
    """Image entries (of one faces file or several) with their faces as {box, landmarks (None when implausible)} and
    ignore boxes."""
    images = []
    for entry in image_entries(paths):
        faces = [{"box": face["box"], "landmarks": face["landmarks5"] if face.get("landmarks_ok", True) else None}
                 for face in entry.get("faces") or []]
        ignores = [list(b["box"] if isinstance(b, dict) else b[:4]) for b in entry.get("ignore") or []]
        images.append({"entry": entry, "faces": faces, "ignores": ignores, "held_out": held_out(entry)})
    return images


def nearest_resize(rgb, width=INPUT_WIDTH, height=INPUT_HEIGHT):
    """The engine's nearest resize (operators NearestResize)."""
    return rgb[nearest_indices(rgb.shape[0], height)][:, nearest_indices(rgb.shape[1], width)]


def map_face(face, sx, sy, tx, ty):
    x, y, w, h = face["box"]
    out = {"box": [x * sx + tx, y * sy + ty, w * sx, h * sy], "landmarks": None}
    if face["landmarks"] is not None:
        out["landmarks"] = [[lx * sx + tx, ly * sy + ty] for lx, ly in face["landmarks"]]
    return out


class DetectionSet(torch.utils.data.Dataset):
    """Random crops of the training images at random scales (faces of 16..110 px at the input), flips and colour
    jitter; `samples_per_epoch` draws per epoch, photos (not video frames or LFW crops) `photo_weight` times as
    likely as the others. Returns (image [3,240,320] float levels, targets())."""

    def __init__(self, images, samples_per_epoch, seed, photo_weight=1.0, backgrounds=None, paste_prob=0.0,
                 degrade_prob=0.0):
        self.images = images
        self.backgrounds = backgrounds or []
        self.paste_prob = paste_prob if self.backgrounds else 0.0
        self.degrade_prob = degrade_prob
        weights = [photo_weight if i["entry"]["kind"] in ("photo", "screenshot") else 1.0 for i in images]
        self.cumulative = np.cumsum(weights) / np.sum(weights)
        self.samples = samples_per_epoch
        self.seed = seed
        self.epoch = 0
        self.sources = Sources()
        self.donors = FaceDonors(images, self.sources, seed=seed) if self.paste_prob > 0 else None

    def __len__(self):
        return self.samples

    def __getitem__(self, index):
        rng = np.random.default_rng((self.seed, self.epoch, index))
        if self.donors is not None and len(self.donors) and rng.random() < self.paste_prob:
            return self._pasted(rng)
        item = self.images[min(len(self.images) - 1, int(np.searchsorted(self.cumulative, rng.random(), side="right")))]
        rgb = self.sources.rgb(item["entry"])
        h, w = rgb.shape[:2]
        aspect = float(rng.uniform(0.85, 1.15))
        faces = item["faces"]
        if not faces or rng.random() < 0.3:
            sx = INPUT_WIDTH / w * float(rng.uniform(0.8, 1.25))
            sy = sx * (INPUT_HEIGHT / h) / (INPUT_WIDTH / w) * aspect
            x0 = float(rng.uniform(min(0.0, w - INPUT_WIDTH / sx), max(0.0, w - INPUT_WIDTH / sx)))
            y0 = float(rng.uniform(min(0.0, h - INPUT_HEIGHT / sy), max(0.0, h - INPUT_HEIGHT / sy)))
        else:
            face = faces[int(rng.integers(len(faces)))]
            fx, fy, fw, fh = face["box"]
            sx = float(rng.uniform(16, 110)) / fw
            sy = sx * aspect
            win_w, win_h = INPUT_WIDTH / sx, INPUT_HEIGHT / sy
            x0 = float(rng.uniform(min(fx + fw - win_w, fx), max(fx + fw - win_w, fx)))
            y0 = float(rng.uniform(min(fy + fh - win_h, fy), max(fy + fh - win_h, fy)))
        tx, ty = -x0 * sx, -y0 * sy
        matrix = np.array([[sx, 0, tx], [0, sy, ty]], dtype=np.float64)
        interp = cv2.INTER_NEAREST if rng.random() < 0.5 else cv2.INTER_AREA if sx < 1 else cv2.INTER_LINEAR
        border = tuple(int(v) for v in rng.integers(0, 256, 3))
        img = cv2.warpAffine(rgb, matrix, (INPUT_WIDTH, INPUT_HEIGHT), flags=interp,
                             borderMode=cv2.BORDER_CONSTANT, borderValue=border)
        mapped = [map_face(f, sx, sy, tx, ty) for f in faces]
        ignores = [map_face({"box": b, "landmarks": None}, sx, sy, tx, ty)["box"] for b in item["ignores"]]
        mapped = [f for f in mapped
                  if 0 <= f["box"][0] + f["box"][2] / 2 < INPUT_WIDTH and 0 <= f["box"][1] + f["box"][3] / 2 < INPUT_HEIGHT]
        if rng.random() < 0.5:
            img = img[:, ::-1]
            for f in mapped:
                x, y, bw, bh = f["box"]
                f["box"] = [INPUT_WIDTH - x - bw, y, bw, bh]
                if f["landmarks"] is not None:
                    f["landmarks"] = flip_landmarks(f["landmarks"], INPUT_WIDTH)
            ignores = [[INPUT_WIDTH - b[0] - b[2], b[1], b[2], b[3]] for b in ignores]
        if rng.random() < self.degrade_prob:
            img = degrade(np.ascontiguousarray(img), rng)
        return self._finish(img, mapped, ignores, rng)

    def _pasted(self, rng):
        """A fixed camera's frame (zoomed 1-2.5x at a random place) with real faces pasted at 8-110 px."""
        bg = self.backgrounds[int(rng.integers(len(self.backgrounds)))]
        h, w = bg.shape[:2]
        zoom = float(rng.uniform(1.0, 2.5))
        cw, ch = w / zoom, w / zoom * INPUT_HEIGHT / INPUT_WIDTH
        ch = min(ch, h)
        x0, y0 = float(rng.uniform(0, w - cw)), float(rng.uniform(0, h - ch))
        crop = bg[int(y0):int(y0 + ch), int(x0):int(x0 + cw)]
        crop = cv2.resize(crop, (INPUT_WIDTH, INPUT_HEIGHT), interpolation=cv2.INTER_AREA)
        img, faces = paste_faces(crop, self.donors, rng, int(rng.integers(1, 9)))
        if rng.random() < max(self.degrade_prob, 0.5):
            img = degrade(img, rng)
        return self._finish(img, faces, [], rng)

    def _finish(self, img, mapped, ignores, rng):
        img = img.astype(np.float32)
        if rng.random() < 0.15:
            img = np.repeat(img.mean(2, keepdims=True), 3, axis=2)
        img = np.clip(np.round(img * rng.uniform(0.7, 1.3) + rng.uniform(-25, 25)), 0, 255)
        image = torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))
        return image, targets(mapped, ignores, INPUT_HEIGHT // STRIDE, INPUT_WIDTH // STRIDE)


def collate(batch):
    return torch.stack([b[0] for b in batch]), [b[1] for b in batch]


def full_image(sources, item):
    """The whole image as the engine sees it: nearest-resized to 240x320, [1,3,240,320] float levels."""
    rgb = sources.rgb(item["entry"])
    small = nearest_resize(rgb)
    return torch.from_numpy(np.ascontiguousarray(small.transpose(2, 0, 1))).float()[None], rgb.shape[1], rgb.shape[0]
