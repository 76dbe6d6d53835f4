"""Copy-paste scenes for the person model (issue 15): people cut out by the pseudo-labels of the training clips
(teacher box x MOG2 foreground), pasted onto empty scenes at 36-400 px tall in a 768x576 frame (18-200 px at the
model's input), in crowds that hide each other, with camera damage. Empty scenes are the per-pixel median of each
training clip (the camera without its walkers) and still photos without people; some samples get nobody at all,
so the model also learns what is not a person on backgrounds it never saw with people."""
import cv2
import numpy as np

from ..common.degrade import degrade
from .data import FrameSet

FRAME_HEIGHT, FRAME_WIDTH = 576, 768
MAX_UPSCALE = 2.5  # a cut-out blown up further is a blur, not a person


class PersonDonors:
    """Cut-outs (RGB patch, 0/1 mask) of labelled people that stand clear of the frame's edges."""

    def __init__(self, patches):
        if not patches:
            raise ValueError("no person cut-outs: every labelled person is too small, cut by the frame or too thin")
        self.patches = patches

    @classmethod
    def from_frames(cls, frames, masks_per_frame, rng, min_height=40, max_items=3000, min_fill=0.3):
        """People at least `min_height` px tall whose mask fills at least `min_fill` of its box and does not touch
        the frame's edge (a person cut by the edge would teach half-people as whole ones)."""
        found = []
        for rgb, masks in zip(frames, masks_per_frame):
            H, W = rgb.shape[:2]
            for m in masks:
                ys, xs = np.nonzero(m)
                if len(ys) == 0:
                    continue
                y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
                if y1 - y0 < min_height or y0 <= 1 or x0 <= 1 or y1 >= H - 1 or x1 >= W - 1:
                    continue
                if len(ys) < min_fill * (y1 - y0) * (x1 - x0) or (x1 - x0) > (y1 - y0):
                    continue
                found.append((rgb[y0:y1, x0:x1].copy(), m[y0:y1, x0:x1].astype(np.uint8).copy()))
        order = rng.permutation(len(found))[:max_items]
        return cls([found[k] for k in order])

    def __len__(self):
        return len(self.patches)


def median_background(frames, samples=40):
    """The per-pixel median of up to `samples` frames spread over a fixed camera's clip: its scene without the
    people walking through it."""
    step = max(1, len(frames) // samples)
    return np.median(np.stack(frames[::step][:samples]), axis=0).astype(np.uint8)


def fit_background(image, rng):
    """A random crop of `image` with the frame's aspect, scaled to 768x576."""
    h, w = image.shape[:2]
    scale = rng.uniform(0.6, 1.0)
    ch = int(min(h, w * FRAME_HEIGHT / FRAME_WIDTH) * scale)
    cw = int(ch * FRAME_WIDTH / FRAME_HEIGHT)
    y = int(rng.integers(0, h - ch + 1))
    x = int(rng.integers(0, w - cw + 1))
    crop = image[y:y + ch, x:x + cw]
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    return cv2.resize(np.ascontiguousarray(crop), (FRAME_WIDTH, FRAME_HEIGHT), interpolation=cv2.INTER_AREA)


def paste_people(background, donors, rng, count, min_px=36.0, max_px=400.0, min_visible=0.4):
    """Pastes `count` people onto `background` (576x768x3), heights log-uniform in [min_px, max_px], feet on a
    random ground line. Later people stand in front; a person with less than `min_visible` of their mask left
    visible is dropped from the labels (their visible pixels stay in the image, as a hidden person's would).
    Returns the image and the visible masks (576x768 uint8 0/1)."""
    out = background.copy()
    H, W = out.shape[:2]
    owner = np.zeros((H, W), np.int32)
    areas = []
    # People nearer the camera stand lower in the frame and in front: draw all, paste from the top down.
    draws = []
    for _ in range(count):
        patch, mask = donors.patches[int(rng.integers(len(donors)))]
        height = float(np.exp(rng.uniform(np.log(min_px), np.log(max_px))))
        s = min(height / patch.shape[0], MAX_UPSCALE)
        ph, pw = max(2, int(round(patch.shape[0] * s))), max(2, int(round(patch.shape[1] * s)))
        if ph >= H or pw >= W:
            continue
        bottom = int(rng.integers(ph, H + 1))
        left = int(rng.integers(0, W - pw + 1))
        draws.append((bottom, patch, mask, ph, pw, left))
    draws.sort(key=lambda d: d[0])
    for n, (bottom, patch, mask, ph, pw, left) in enumerate(draws):
        interp = cv2.INTER_AREA if ph < patch.shape[0] else cv2.INTER_LINEAR
        small = cv2.resize(patch, (pw, ph), interpolation=interp).astype(np.float32)
        m = cv2.resize(mask * 255, (pw, ph), interpolation=cv2.INTER_LINEAR).astype(np.float32) / 255.0
        if rng.random() < 0.5:
            small, m = small[:, ::-1], m[:, ::-1]
        small = small * rng.uniform(0.75, 1.25) + rng.uniform(-20, 20)
        top = bottom - ph
        region = out[top:bottom, left:left + pw].astype(np.float32)
        alpha = m[:, :, None]
        out[top:bottom, left:left + pw] = np.clip(np.round(alpha * small + (1 - alpha) * region), 0, 255).astype(np.uint8)
        solid = m >= 0.5
        owner[top:bottom, left:left + pw][solid] = n + 1
        areas.append(int(solid.sum()))
    masks = []
    for n, area in enumerate(areas):
        visible = owner == n + 1
        if area > 0 and visible.sum() >= min_visible * area:
            masks.append(visible.astype(np.uint8))
    return out, masks


class PastedScenes(FrameSet):
    """`length` fresh composites per epoch: a background, 0-12 people (none in `empty_share` of samples), camera
    damage in `degrade_share`; then the same resize, flip, gain and crop as real frames."""

    def __init__(self, donors, backgrounds, length, seed=0, crop=None, empty_share=0.15, degrade_share=0.4,
                 max_people=12):
        super().__init__([], [], True, seed, crop, None)
        if not backgrounds:
            raise ValueError("no backgrounds to paste people onto")
        self.donors = donors
        self.backgrounds = backgrounds
        self.length = length
        self.empty_share = empty_share
        self.degrade_share = degrade_share
        self.max_people = max_people

    def __len__(self):
        return self.length

    def composite(self):
        rng = self.rng
        background = fit_background(self.backgrounds[int(rng.integers(len(self.backgrounds)))], rng)
        count = 0 if rng.random() < self.empty_share else int(rng.integers(1, self.max_people + 1))
        image, masks = paste_people(background, self.donors, rng, count)
        if rng.random() < self.degrade_share:
            image = degrade(image, rng)
        return image, masks

    def __getitem__(self, i):
        image, masks = self.composite()
        return self.sample(*self._augment(image, masks))


def load_still_backgrounds(paths):
    """RGB photos (without people) from image files; a missing or unreadable file is an error, not a skip."""
    images = []
    for path in paths:
        bgr = cv2.imread(path, cv2.IMREAD_COLOR)
        if bgr is None:
            raise FileNotFoundError(f"background image {path} is missing or unreadable")
        images.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    return images

