"""Test fixtures for the float ONNX face embedder (operators OnnxFaceEmbedder, OnnxFaceEmbedderTest).

The model here is NOT a face recogniser: a small MobileFaceNet-like network with seeded random weights, in the
layout of OpenCV's SFace (face_recognition_sface_2021dec.onnx): input "input" [1,3,112,112], RGB 0-255, NCHW;
output [1,128]. It only checks that the Java backend feeds and reads such a model exactly as PyTorch does.

Written to --out: model.onnx, two models with the wrong shapes (wrong-input.onnx: 96x96 input;
wrong-output.onnx: [1,8,1,1] output), image.rgb (a 160-high, 200-wide RGB image, raw bytes, row-major) and
expected.txt (each box with the L2-normalised embedding PyTorch computes after crop_resize below).

    cd training && /usr/bin/python3 -m bitvision_train.face.onnx_fixtures --out ../operators/src/test/resources/faces/
"""
import argparse
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 112
EMBEDDING = 128
IMAGE_HEIGHT, IMAGE_WIDTH = 160, 200
# Box (x, y, width, height) in pixels; values exact in float32 so Java's float arithmetic crops the same pixels.
BOXES = {
    "inside": (50.25, 30.75, 90.5, 100.25),
    "clipped": (-20.5, 100.0, 80.0, 90.0),
}


def crop_region(height, width, box):
    """Integer pixel range [x0, x1) x [y0, y1) of a box clipped to the frame; never empty."""
    x, y, w, h = box
    x0 = min(max(math.floor(x), 0), width - 1)
    y0 = min(max(math.floor(y), 0), height - 1)
    x1 = max(x0 + 1, min(max(math.ceil(x + w), 0), width))
    y1 = max(y0 + 1, min(max(math.ceil(y + h), 0), height))
    return x0, y0, x1, y1


def source_positions(n_in, n_out):
    """Bilinear sample positions, as F.interpolate(mode="bilinear", align_corners=False) computes them:
    src = max(0, (dst + 0.5) * n_in / n_out - 0.5); lower index floor(src), upper min(lower + 1, n_in - 1)."""
    src = np.maximum((np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5, 0.0)
    lo = np.floor(src).astype(np.int64)
    hi = np.minimum(lo + 1, n_in - 1)
    return lo, hi, src - lo


def crop_resize(rgb, box, size=SIZE):
    """The box of an HxWx3 uint8 image as float32 [3, size, size] (RGB, 0-255): the Java AlignedFace."""
    x0, y0, x1, y1 = crop_region(rgb.shape[0], rgb.shape[1], box)
    crop = rgb[y0:y1, x0:x1].astype(np.float64)
    ylo, yhi, ty = source_positions(y1 - y0, size)
    xlo, xhi, tx = source_positions(x1 - x0, size)
    tx = tx[None, :, None]
    top = crop[ylo][:, xlo] * (1 - tx) + crop[ylo][:, xhi] * tx
    bottom = crop[yhi][:, xlo] * (1 - tx) + crop[yhi][:, xhi] * tx
    out = top * (1 - ty[:, None, None]) + bottom * ty[:, None, None]
    return out.transpose(2, 0, 1).astype(np.float32)


def test_image():
    """Smooth colour gradients with a disc and a bar on top: deterministic, no randomness."""
    y, x = np.mgrid[0:IMAGE_HEIGHT, 0:IMAGE_WIDTH].astype(np.float64)
    r = 255 * x / (IMAGE_WIDTH - 1)
    g = 255 * y / (IMAGE_HEIGHT - 1)
    b = 127.5 + 127.5 * np.sin(x / 13.0) * np.cos(y / 17.0)
    image = np.stack([r, g, b], axis=-1)
    disc = (x - 95) ** 2 + (y - 80) ** 2 < 30 ** 2
    image[disc] = (230, 40, 60)
    bar = (np.abs(x - 40) < 8) & (y > 90)
    image[bar] = (20, 20, 200)
    return np.rint(image).astype(np.uint8)


def conv_bn(c_in, c_out, kernel, stride, groups=1):
    return nn.Sequential(nn.Conv2d(c_in, c_out, kernel, stride, kernel // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(c_out), nn.PReLU(c_out))


class TinyFaceNet(nn.Module):
    """MobileFaceNet's shape in miniature: stem, depthwise-separable stages, global depthwise conv, linear."""

    def __init__(self, width=16, embedding=EMBEDDING, input_size=SIZE):
        super().__init__()
        w = width
        self.features = nn.Sequential(
            conv_bn(3, w, 3, 2),
            conv_bn(w, w, 3, 1, groups=w), conv_bn(w, 2 * w, 1, 2),
            conv_bn(2 * w, 2 * w, 3, 1, groups=2 * w), conv_bn(2 * w, 4 * w, 1, 2),
            conv_bn(4 * w, 4 * w, 3, 1, groups=4 * w), conv_bn(4 * w, 4 * w, 1, 2),
        )
        side = input_size // 16
        self.gdc = nn.Sequential(nn.Conv2d(4 * w, 4 * w, side, groups=4 * w, bias=False), nn.BatchNorm2d(4 * w))
        self.fc = nn.Linear(4 * w, embedding, bias=False)
        self.bn = nn.BatchNorm1d(embedding)

    def forward(self, x):
        x = self.gdc(self.features(x / 127.5 - 1.0))
        return self.bn(self.fc(torch.flatten(x, 1)))


class WrongOutputNet(nn.Module):
    """Right input, output [1, 8, 1, 1]: not the [1, N] an embedder gives."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, 2)

    def forward(self, x):
        return F.adaptive_avg_pool2d(self.conv(x), 1)


def seeded_net(seed=7, input_size=SIZE, width=16):
    """Random weights; batch-norm statistics gathered from seeded random images so activations stay in range."""
    torch.manual_seed(seed)
    net = TinyFaceNet(width=width, input_size=input_size)
    for m in net.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.momentum = None  # cumulative average over the calibration batches
            nn.init.uniform_(m.weight, 0.5, 1.5)
            nn.init.uniform_(m.bias, -0.2, 0.2)
    net.train()
    with torch.no_grad():
        for _ in range(4):
            net(torch.rand(16, 3, input_size, input_size) * 255)
    return net.eval()


def export(net, path, input_size):
    dummy = torch.zeros(1, 3, input_size, input_size)
    torch.onnx.export(net, dummy, path, opset_version=13, input_names=["input"], output_names=["output"],
                      do_constant_folding=True)


def embed(net, chw):
    with torch.no_grad():
        return F.normalize(net(torch.from_numpy(chw)[None]), dim=1)[0].numpy()


def write_fixtures(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    net = seeded_net()
    export(net, os.path.join(out_dir, "model.onnx"), SIZE)
    export(seeded_net(seed=8, input_size=96, width=4), os.path.join(out_dir, "wrong-input.onnx"), 96)
    torch.manual_seed(9)
    export(WrongOutputNet().eval(), os.path.join(out_dir, "wrong-output.onnx"), SIZE)
    image = test_image()
    with open(os.path.join(out_dir, "image.rgb"), "wb") as f:
        f.write(image.tobytes())
    lines = ["# bitvision face embedder fixture: cd training && python3 -m bitvision_train.face.onnx_fixtures (face/onnx_fixtures.py)",
             f"image image.rgb {IMAGE_HEIGHT} {IMAGE_WIDTH}"]
    for name, box in BOXES.items():
        e = embed(net, crop_resize(image, box))
        lines.append(f"box {name} {' '.join(repr(v) for v in box)} {' '.join(repr(float(v)) for v in e)}")
    with open(os.path.join(out_dir, "expected.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="fixture folder (operators/src/test/resources/faces/)")
    write_fixtures(p.parse_args(argv).out)


if __name__ == "__main__":
    main()
