"""Frames of a video and their pseudo-label instance masks, at the model's input size."""
import gzip
import json

import cv2
import numpy as np
import torch

from ..common import rle
from ..common.metrics import box_iou
from ..common.video import iter_frames, nearest_indices
from .model import INPUT_HEIGHT, INPUT_WIDTH


def resize_nearest(image, height=INPUT_HEIGHT, width=INPUT_WIDTH):
    return image[nearest_indices(image.shape[0], height)][:, nearest_indices(image.shape[1], width)]


def read_frames(video, first, last):
    """RGB frames first..last-1 (uint8 HxWx3)."""
    frames = []
    for index, bgr in iter_frames(video):
        if index >= last:
            break
        if index >= first:
            frames.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    return frames


def load_labels(path):
    with gzip.open(path, "rt") as f:
        return json.load(f)


def instance_masks(frame_labels, min_area=0):
    return [rle.decode(inst["rle"]).astype(np.uint8) for inst in frame_labels["instances"] if inst.get("area", 1) >= min_area]


def load_teacher_boxes(path, min_score=0.2):
    """{frame: [[x, y, w, h, score], ...]} from the teacher's JSON lines (optionally gzipped)."""
    opener = gzip.open if path.endswith(".gz") else open
    boxes = {}
    with opener(path, "rt") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                boxes[r["frame"]] = [b for b in r["boxes"] if b[4] >= min_score]
    return boxes


def erase_unlabelled(rgb, masks, boxes, min_overlap=0.3):
    """`rgb` with every teacher box that no mask explains (box IoU < min_overlap with each mask's box) filled with
    the frame's median colour, grown by a tenth on each side."""
    covered = []
    for m in masks:
        ys, xs = np.nonzero(m)
        if len(ys):
            covered.append([xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1])
    out = None
    for b in boxes:
        if any(box_iou(b, c) >= min_overlap for c in covered):
            continue
        if out is None:
            out = rgb.copy()
            fill = np.median(rgb.reshape(-1, 3), axis=0).astype(np.uint8)
        x, y, w, h = b[:4]
        x0, y0 = max(0, int(x - 0.1 * w)), max(0, int(y - 0.1 * h))
        x1, y1 = min(rgb.shape[1], int(x + 1.1 * w) + 1), min(rgb.shape[0], int(y + 1.1 * h) + 1)
        out[y0:y1, x0:x1] = fill
        for m in masks:  # a labelled person in front keeps their pixels
            keep = m[y0:y1, x0:x1] > 0
            out[y0:y1, x0:x1][keep] = rgb[y0:y1, x0:x1][keep]
    return rgb if out is None else out


class FrameSet(torch.utils.data.Dataset):
    """(image [3,H,W] float levels, masks [K,H/2,W/2] float) per frame; augmentation when `augment`."""

    def __init__(self, frames, masks_per_frame, augment, seed=0, crop=None, zoom=None):
        """zoom: (low, high) scale range drawn log-uniformly (people up to `high` times their size in the frame);
        None keeps the original uniform 0.8-1.25."""
        self.frames = frames
        self.masks = masks_per_frame
        self.augment = augment
        self.crop = crop
        self.zoom = zoom
        self.rng = np.random.default_rng(seed)

    def __len__(self):
        return len(self.frames)

    def __getitem__(self, i):
        image = self.frames[i]
        masks = self.masks[i]
        if self.augment:
            image, masks = self._augment(image, masks)
        return self.sample(image, masks)

    def sample(self, image, masks):
        """The network's input and targets from a full frame and its masks: nearest resize, optional crop."""
        small = resize_nearest(image)
        target = [cv2.resize(m.astype(np.float32), (INPUT_WIDTH // 2, INPUT_HEIGHT // 2), interpolation=cv2.INTER_AREA)
                  for m in masks]
        target = np.stack(target) if target else np.zeros((0, INPUT_HEIGHT // 2, INPUT_WIDTH // 2), np.float32)
        if self.crop:
            # The network is fully convolutional: training on crops costs a fraction and deploys at full size.
            ch, cw = self.crop
            y = 2 * int(self.rng.integers(0, (INPUT_HEIGHT - ch) // 2 + 1))
            x = 2 * int(self.rng.integers(0, (INPUT_WIDTH - cw) // 2 + 1))
            small = small[y:y + ch, x:x + cw]
            target = target[:, y // 2:(y + ch) // 2, x // 2:(x + cw) // 2]
            if len(target):
                target = target[(target > 0.5).reshape(len(target), -1).sum(-1) >= 24]
        return torch.from_numpy(small.transpose(2, 0, 1).astype(np.float32)), torch.from_numpy((target > 0.5).astype(np.float32))

    def _augment(self, image, masks):
        rng = self.rng
        h, w = image.shape[:2]
        if rng.random() < 0.5:
            image = image[:, ::-1]
            masks = [m[:, ::-1] for m in masks]
        if self.zoom is None:
            scale = rng.uniform(0.8, 1.25)
        else:
            scale = float(np.exp(rng.uniform(np.log(self.zoom[0]), np.log(self.zoom[1]))))
        if abs(scale - 1) > 0.02:
            nh, nw = int(h * scale), int(w * scale)
            image = cv2.resize(np.ascontiguousarray(image), (nw, nh), interpolation=cv2.INTER_LINEAR)
            masks = [cv2.resize(np.ascontiguousarray(m), (nw, nh), interpolation=cv2.INTER_NEAREST) for m in masks]
            canvas = np.zeros((h, w, 3), np.uint8) + np.uint8(rng.integers(0, 256))
            out_masks = []
            oy = int(rng.integers(0, abs(nh - h) + 1))
            ox = int(rng.integers(0, abs(nw - w) + 1))
            if scale > 1:
                canvas = image[oy:oy + h, ox:ox + w]
                out_masks = [m[oy:oy + h, ox:ox + w] for m in masks]
            else:
                canvas[oy:oy + nh, ox:ox + nw] = image
                for m in masks:
                    full = np.zeros((h, w), np.uint8)
                    full[oy:oy + nh, ox:ox + nw] = m
                    out_masks.append(full)
            image = canvas
            masks = [m for m in out_masks if m.sum() >= 64]
        gain = rng.uniform(0.7, 1.3)
        bias = rng.uniform(-25, 25)
        image = np.clip(image.astype(np.float32) * gain + bias, 0, 255).astype(np.uint8)
        return np.ascontiguousarray(image), [np.ascontiguousarray(m) for m in masks]


def collate(batch):
    images = torch.stack([b[0] for b in batch])
    return images, [b[1] for b in batch]
