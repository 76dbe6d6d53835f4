"""Photos with hand-drawn person masks, in the Penn-Fudan layout (PNGImages/NAME.png, PedMasks/NAME_mask.png with
one integer id per person, 0 = background): real masks of people at eye level on streets and campuses, for training
samples and copy-paste donors (issue 15). Each photo is padded to the model's 4:3 frame with its median colour, so
the nearest resize to the input does not stretch the people."""
import glob
import os

import cv2
import numpy as np

from .model import INPUT_HEIGHT, INPUT_WIDTH


def pad_to_frame_aspect(rgb, masks):
    """Pads (right/bottom) to the model input's 4:3 aspect; the pad is the photo's median colour, nobody in it."""
    h, w = rgb.shape[:2]
    target_w = max(w, int(round(h * INPUT_WIDTH / INPUT_HEIGHT)))
    target_h = max(h, int(round(target_w * INPUT_HEIGHT / INPUT_WIDTH)))
    if (target_h, target_w) == (h, w):
        return rgb, masks
    fill = np.median(rgb.reshape(-1, 3), axis=0).astype(np.uint8)
    out = np.empty((target_h, target_w, 3), np.uint8)
    out[:] = fill
    out[:h, :w] = rgb
    padded = []
    for m in masks:
        full = np.zeros((target_h, target_w), np.uint8)
        full[:h, :w] = m
        padded.append(full)
    return out, padded


def load_masked_photos(root, every=1, max_width=768):
    """(frames, masks per frame) of the photos under `root` (every `every`th, sorted by name), scaled down to at most
    `max_width` and padded to 4:3. A photo without its mask file is an error: a silent skip would shrink the set."""
    images = sorted(glob.glob(os.path.join(root, "PNGImages", "*.png")))[::every]
    if not images:
        raise FileNotFoundError(f"no photos under {root}/PNGImages")
    frames, masks_per_frame = [], []
    for path in images:
        name = os.path.splitext(os.path.basename(path))[0]
        mask_path = os.path.join(root, "PedMasks", name + "_mask.png")
        ids = cv2.imread(mask_path, cv2.IMREAD_UNCHANGED)
        bgr = cv2.imread(path, cv2.IMREAD_COLOR)
        if ids is None or bgr is None:
            raise FileNotFoundError(f"{path}: photo or its mask {mask_path} is missing or unreadable")
        if ids.shape[:2] != bgr.shape[:2]:
            raise ValueError(f"{mask_path}: mask {ids.shape[:2]} and photo {bgr.shape[:2]} differ in size")
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        masks = [(ids == k).astype(np.uint8) for k in np.unique(ids) if k != 0]
        if rgb.shape[1] > max_width:
            size = (max_width, round(rgb.shape[0] * max_width / rgb.shape[1]))
            rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
            masks = [cv2.resize(m, size, interpolation=cv2.INTER_NEAREST) for m in masks]
        rgb, masks = pad_to_frame_aspect(rgb, masks)
        frames.append(rgb)
        masks_per_frame.append(masks)
    return frames, masks_per_frame
