"""5-point face alignment to SFace's 112x112 crop, as OpenCV's FaceRecognizerSF aligns: the least-squares
similarity (Umeyama) from a detector's landmarks to TEMPLATE, then a bilinear warp. The Java side is
io.bitvision.engine.face.SimilarityTransform and FaceAligner; both compute in float64 and agree to float32 rounding.

Sampling convention (both sides): coordinates are continuous, pixel (i, j) covering [i, i+1) x [j, j+1). The
centre (x + 0.5, y + 0.5) of each output pixel goes through the inverse transform to a frame point (u, v); the
value is bilinear between the centres of the four frame pixels around (u - 0.5, v - 0.5), and a neighbour
outside the frame reads 0. (cv2.warpAffine maps pixel indices, not centres: for the same landmarks that shifts
the crop by 0.5 * (1 - 1 / scale) pixels.)

Writes the cross-language fixture of the Java FaceAlignerFixtureTest:

    cd training && /usr/bin/python3 -m bitvision_train.face.align --out ../engine/src/test/resources/face-align/
"""
import argparse
import gzip
import os

import numpy as np

SIZE = 112
# x, y in the crop: the eye, then the mouth corner, on the image's left (the person's right; YuNet's first point)
# before the one on its right, the nose tip between them.
TEMPLATE = np.array([
    [38.2946, 51.6963],  # left eye
    [73.5318, 51.5014],  # right eye
    [56.0252, 71.7366],  # nose tip
    [41.5493, 92.3655],  # left mouth corner
    [70.7299, 92.2041],  # right mouth corner
], dtype=np.float64)
# Minor over major standard deviation of the source points below which they count as collinear (Java:
# SimilarityTransform.MIN_SPREAD_RATIO).
MIN_SPREAD_RATIO = 1e-4

FIXTURE_HEIGHT, FIXTURE_WIDTH = 96, 128
# Landmarks of the fixture: the template turned about 15 degrees, scaled by 0.8, moved and jittered; multiples of
# 1/8, so exact in float32 as the Java side reads them. Part of the crop falls outside the frame.
FIXTURE_LANDMARKS = np.array([
    [50.125, 20.5],
    [77.375, 27.75],
    [58.0, 42.625],
    [42.25, 55.875],
    [64.875, 61.5],
], dtype=np.float64)


def require_spread(points):
    """ValueError unless the points span a plane: not all equal, not collinear within MIN_SPREAD_RATIO."""
    centred = points - points.mean(axis=0)
    major, minor = np.linalg.eigvalsh(centred.T @ centred)[::-1]
    if not major > 0:
        raise ValueError("degenerate points: all equal")
    if minor < MIN_SPREAD_RATIO ** 2 * major:
        raise ValueError(f"degenerate points: collinear (minor/major spread {np.sqrt(max(minor, 0) / major)})")


def estimate(src, dst):
    """3x3 float64 matrix of the similarity (rotation, uniform scale, translation; no reflection) taking the
    points src [N, 2] onto dst [N, 2] with the least sum of squared distances: Umeyama's method, as skimage's
    SimilarityTransform.estimate."""
    src = np.asarray(src, dtype=np.float64).reshape(-1, 2)
    dst = np.asarray(dst, dtype=np.float64).reshape(-1, 2)
    if src.shape != dst.shape or len(src) < 2:
        raise ValueError(f"need two equal sets of at least two points, not {src.shape} and {dst.shape}")
    if not (np.isfinite(src).all() and np.isfinite(dst).all()):
        raise ValueError("points must be finite")
    require_spread(src)
    src_mean, dst_mean = src.mean(axis=0), dst.mean(axis=0)
    src_centred, dst_centred = src - src_mean, dst - dst_mean
    u, singular, vt = np.linalg.svd(dst_centred.T @ src_centred / len(src))
    d = np.array([1.0, -1.0 if np.linalg.det(u) * np.linalg.det(vt) < 0 else 1.0])
    rotation = u @ np.diag(d) @ vt
    scale = (singular @ d) / src_centred.var(axis=0).sum()
    matrix = np.eye(3)
    matrix[:2, :2] = scale * rotation
    matrix[:2, 2] = dst_mean - scale * rotation @ src_mean
    return matrix


def warp(rgb, crop_to_frame, size=SIZE):
    """The size x size crop of an HxWx3 uint8 frame, float32 [3, size, size] (RGB, 0-255); crop_to_frame is a
    3x3 matrix taking crop points to frame points. Sampling as the module docstring says."""
    height, width = rgb.shape[:2]
    centres = np.arange(size, dtype=np.float64) + 0.5
    cx, cy = np.meshgrid(centres, centres)
    m = crop_to_frame
    u = m[0, 0] * cx + m[0, 1] * cy + m[0, 2] - 0.5
    v = m[1, 0] * cx + m[1, 1] * cy + m[1, 2] - 0.5
    # Clipped where both neighbours on an axis are outside anyway (they read 0), to keep the indices small.
    left = np.clip(np.floor(u), -2, width).astype(np.int64)
    top = np.clip(np.floor(v), -2, height).astype(np.int64)
    fx, fy = (u - left)[..., None], (v - top)[..., None]
    upper = (1 - fx) * pixels(rgb, top, left) + fx * pixels(rgb, top, left + 1)
    lower = (1 - fx) * pixels(rgb, top + 1, left) + fx * pixels(rgb, top + 1, left + 1)
    out = (1 - fy) * upper + fy * lower
    return out.transpose(2, 0, 1).astype(np.float32)


def pixels(rgb, rows, cols):
    """rgb[rows, cols] as float64 [..., 3], zeros where (row, col) lies outside the frame."""
    height, width = rgb.shape[:2]
    inside = (rows >= 0) & (rows < height) & (cols >= 0) & (cols < width)
    values = rgb[np.clip(rows, 0, height - 1), np.clip(cols, 0, width - 1)].astype(np.float64)
    return np.where(inside[..., None], values, 0.0)


def align(rgb, landmarks, size=SIZE):
    """SFace's aligned crop of an HxWx3 uint8 frame, float32 [3, 112, 112], from five landmarks [5, 2] (x, y in
    the frame, in TEMPLATE's order)."""
    frame_to_crop = estimate(landmarks, TEMPLATE)
    return warp(rgb, np.linalg.inv(frame_to_crop), size)


def fixture_image():
    """Smooth gradients, a sharp-edged disc and a block of seeded noise: bilinear both where it is exact and
    where it is not."""
    y, x = np.mgrid[0:FIXTURE_HEIGHT, 0:FIXTURE_WIDTH].astype(np.float64)
    image = np.stack([255 * x / (FIXTURE_WIDTH - 1), 255 * y / (FIXTURE_HEIGHT - 1),
                      127.5 + 127.5 * np.sin(x / 9.0) * np.cos(y / 7.0)], axis=-1)
    image[(x - 62) ** 2 + (y - 40) ** 2 < 12 ** 2] = (230, 40, 60)
    noise = np.random.default_rng(11).integers(0, 256, size=(20, 24, 3))
    image[50:70, 70:94] = noise
    return np.rint(image).astype(np.uint8)


def write_fixture(out_dir):
    """image.rgb (raw HxWx3 bytes), fixture.txt (height, width, landmarks) and expected.f32.gz (the aligned
    crop, float32 little-endian, NCHW, gzip)."""
    os.makedirs(out_dir, exist_ok=True)
    image = fixture_image()
    with open(os.path.join(out_dir, "image.rgb"), "wb") as f:
        f.write(image.tobytes())
    with open(os.path.join(out_dir, "fixture.txt"), "w") as f:
        f.write("# height width, then x y of the five landmarks; written by bitvision_train.face.align\n")
        f.write(f"{FIXTURE_HEIGHT} {FIXTURE_WIDTH}\n")
        for x, y in FIXTURE_LANDMARKS:
            f.write(f"{x!r} {y!r}\n")
    expected = align(image, FIXTURE_LANDMARKS).astype("<f4")
    with open(os.path.join(out_dir, "expected.f32.gz"), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
            f.write(expected.tobytes())


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    write_fixture(p.parse_args(argv).out)


if __name__ == "__main__":
    main()
