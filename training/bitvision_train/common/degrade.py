"""Camera-like damage for training samples (low light, blur, noise, JPEG), shared by the person and face models."""
import cv2
import numpy as np


def degrade(img, rng):
    """Camera-like damage on a uint8 RGB image, each with some probability: low light (gamma and gain), blur, sensor
    noise, JPEG artefacts."""
    out = img.astype(np.float32)
    if rng.random() < 0.25:
        out = 255.0 * (out / 255.0) ** rng.uniform(1.3, 2.2) * rng.uniform(0.4, 0.9)
    if rng.random() < 0.3:
        sigma = rng.uniform(0.5, 1.6)
        out = cv2.GaussianBlur(out, (0, 0), sigma)
    if rng.random() < 0.3:
        out = out + rng.normal(0, rng.uniform(2, 10), out.shape)
    out = np.clip(np.round(out), 0, 255).astype(np.uint8)
    if rng.random() < 0.35:
        ok, enc = cv2.imencode(".jpg", out[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(15, 85))])
        if ok:
            out = cv2.imdecode(enc, cv2.IMREAD_COLOR)[:, :, ::-1]
    return out
