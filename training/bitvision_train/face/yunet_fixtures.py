"""Test fixtures for the float ONNX face detector in YuNet's layout (operators YuNetFaceDetector, YuNetFaceDetectorTest).

The model here is NOT a face detector: a small convolutional network with seeded random weights that has YuNet's
interface (libfacedetection.train's yunet_*.onnx, OpenCV's FaceDetectorYN): input "input" [1, 3, H, W], BGR 0-255,
NCHW; outputs cls_S, obj_S [1, n, 1], bbox_S [1, n, 4], kps_S [1, n, 10] for strides S = 8, 16, 32, one row per
cell in row-major order. It checks that the Java backend feeds such a model and decodes its outputs exactly as this
reference does (decode() below is the decoding written out in YuNetFaceDetector's javadoc and facedata/yunet.py).

Written to --out:
  fixed.onnx            input 1x3x160x160
  dynamic.onnx          input 1x3xHxW (dynamic H, W)
  wrong-input.onnx      input 1x3x100x100 (not a multiple of 32)
  wrong-output.onnx     no kps_32
  small.rgb, large.rgb  RGB images, raw bytes row-major: 120x160 and 240x320 (the same scene at twice the size)
  expected.txt          per case: "case <name> <count>" then one line per face: x y w h score and 10 landmark values

    cd training && /usr/bin/python3 -m bitvision_train.face.yunet_fixtures --out ../operators/src/test/resources/faces/yunet/
"""
import argparse
import os

import numpy as np
import torch
import torch.nn as nn

STRIDES = (8, 16, 32)
SCORE_THRESHOLD = 0.6
NMS_IOU = 0.3
DYNAMIC_MAX_SIDE = 640


class TinyYuNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.down = nn.ModuleList([nn.Conv2d(3, 8, 3, 2, 1), nn.Conv2d(8, 8, 3, 2, 1), nn.Conv2d(8, 8, 3, 2, 1),
                                   nn.Conv2d(8, 8, 3, 2, 1), nn.Conv2d(8, 8, 3, 2, 1)])
        self.heads = nn.ModuleList([nn.ModuleDict({"cls": nn.Conv2d(8, 1, 1), "obj": nn.Conv2d(8, 1, 1),
                                                   "bbox": nn.Conv2d(8, 4, 1), "kps": nn.Conv2d(8, 10, 1)})
                                    for _ in STRIDES])

    def forward(self, x):
        x = x / 255.0
        feats = []
        for i, conv in enumerate(self.down):
            x = torch.tanh(conv(x))
            if i >= 2:
                feats.append(x)
        outs = []
        for head, f in zip(self.heads, feats):
            for name in ("cls", "obj", "bbox", "kps"):
                y = head[name](f)
                if name in ("cls", "obj"):
                    y = torch.sigmoid(y)
                outs.append(y.permute(0, 2, 3, 1).reshape(1, -1, y.shape[1]))
        return tuple(outs)


def output_names(skip=None):
    return [f"{n}_{s}" for s in STRIDES for n in ("cls", "obj", "bbox", "kps") if f"{n}_{s}" != skip]


def make_model(seed, calibration_image):
    """Seeded weights; the cls and obj heads are steep (most scores near 0 or 1, few near the threshold) and their
    biases put about a tenth of the cells of the calibration image above 0.8."""
    torch.manual_seed(seed)
    net = TinyYuNet().eval()
    x = torch.from_numpy(calibration_image.astype(np.float32)[:, :, ::-1].transpose(2, 0, 1).copy())[None]
    with torch.no_grad():
        feats = []
        for i, conv in enumerate(net.down):
            x = torch.tanh(conv(x / 255.0 if i == 0 else x))
            if i >= 2:
                feats.append(x)
        for head, f in zip(net.heads, feats):
            for name in ("cls", "obj"):
                head[name].bias.zero_()
                logits = head[name](f).flatten()
                head[name].weight.mul_(4.0 / float(logits.std()))
                logits = head[name](f).flatten()
                head[name].bias.fill_(float(np.log(0.8 / 0.2) - torch.quantile(logits, 0.9)))
            head["bbox"].weight.mul_(0.5)
            head["bbox"].bias.copy_(torch.tensor([0.5, 0.5, 0.8, 0.9]))
    return net


def export(net, path, height, width, dynamic=False, names=None):
    dummy = torch.zeros(1, 3, height, width)
    names = names or output_names()

    class Picked(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = net

        def forward(self, x):
            all_outs = dict(zip(output_names(), self.net(x)))
            return tuple(all_outs[n] for n in names)

    torch.onnx.export(Picked(), dummy, path, input_names=["input"], output_names=names, opset_version=13,
                      dynamic_axes={"input": {2: "height", 3: "width"}} if dynamic else None)


def scene(height, width, seed):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    img = np.zeros((height, width, 3), np.float32)
    for c in range(3):
        for _ in range(4):
            fy, fx, ph = rng.uniform(0.02, 0.12), rng.uniform(0.02, 0.12), rng.uniform(0, 6.3)
            img[:, :, c] += rng.uniform(20, 50) * np.sin(yy * fy + xx * fx + ph)
    img += rng.normal(0, 8, img.shape)
    return np.clip(np.round(img + 128), 0, 255).astype(np.uint8)


def canvas(rgb, in_h, in_w, scale):
    """The model input: BGR planes, frame scaled by `scale` at the top-left of zeros (scale 1 or 1/2 here)."""
    h, w = rgb.shape[:2]
    if scale == 0.5:
        f = rgb.astype(np.float32)
        small = (f[0::2, 0::2] + f[0::2, 1::2] + f[1::2, 0::2] + f[1::2, 1::2]) / 4.0
    elif scale == 1.0:
        small = rgb.astype(np.float32)
    else:
        raise ValueError("the fixture keeps to scales 1 and 1/2, which bilinear sampling computes exactly")
    out = np.zeros((3, in_h, in_w), np.float32)
    sh, sw = min(in_h, round(h * scale)), min(in_w, round(w * scale))
    out[:, :sh, :sw] = small[:sh, :sw, ::-1].transpose(2, 0, 1)
    return out


def decode(outs, in_h, in_w, scale, height, width):
    cands = []
    outs = dict(zip(output_names(), [o.numpy().reshape(-1, o.shape[-1]) for o in outs]))
    for s in STRIDES:
        cols = in_w // s
        score = np.sqrt(np.clip(outs[f"cls_{s}"][:, 0], 0, 1) * np.clip(outs[f"obj_{s}"][:, 0], 0, 1))
        if np.any(np.abs(score - SCORE_THRESHOLD) < 1e-3):
            raise SystemExit("a score within 1e-4 of the threshold: float rounding could flip it; change --seed")
        for cell in np.nonzero(score >= SCORE_THRESHOLD)[0]:
            col, row = cell % cols, cell // cols
            b = outs[f"bbox_{s}"][cell].astype(np.float64)
            k = outs[f"kps_{s}"][cell].astype(np.float64)
            cx, cy = (col + b[0]) * s / scale, (row + b[1]) * s / scale
            w, h = np.exp(b[2]) * s / scale, np.exp(b[3]) * s / scale
            x0, y0 = max(0.0, cx - w / 2), max(0.0, cy - h / 2)
            x1, y1 = min(width, cx + w / 2), min(height, cy + h / 2)
            if x1 <= x0 or y1 <= y0:
                continue
            lm = [((col if i % 2 == 0 else row) + k[i]) * s / scale for i in range(10)]
            cands.append([x0, y0, x1 - x0, y1 - y0, float(score[cell])] + lm)
    cands.sort(key=lambda c: -c[4])
    print(f"  {len(cands)} candidates before NMS")
    kept = []
    for c in cands:
        if any(abs(iou(c, k) - NMS_IOU) < 1e-4 for k in kept):
            raise SystemExit("an overlap within 1e-4 of the NMS IoU: float rounding could flip it; change --seed")
        if all(iou(c, k) <= NMS_IOU for k in kept):
            kept.append(c)
    return kept


def iou(a, b):
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    small = scene(120, 160, args.seed)
    net = make_model(args.seed, small)
    export(net, os.path.join(args.out, "fixed.onnx"), 160, 160)
    export(net, os.path.join(args.out, "dynamic.onnx"), 128, 160, dynamic=True)
    export(net, os.path.join(args.out, "wrong-input.onnx"), 100, 100)
    export(net, os.path.join(args.out, "wrong-output.onnx"), 160, 160, names=output_names(skip="kps_32"))
    large = np.repeat(np.repeat(small, 2, axis=0), 2, axis=1)  # 2x2 blocks: at scale 1/2 it is `small` again
    small.tofile(os.path.join(args.out, "small.rgb"))
    large.tofile(os.path.join(args.out, "large.rgb"))
    cases = [  # name, model input h, w, image, scale
        ("fixed-small", 160, 160, small, 1.0),
        ("fixed-large", 160, 160, large, 0.5),
        ("dynamic-small", 128, 160, small, 1.0),  # 120 rounded up to 128
    ]
    lines = []
    with torch.no_grad():
        for name, in_h, in_w, img, scale in cases:
            x = torch.from_numpy(canvas(img, in_h, in_w, scale))[None]
            faces = decode(net(x), in_h, in_w, scale, img.shape[0], img.shape[1])
            lines.append(f"case {name} {len(faces)}")
            lines += [" ".join(f"{v:.6f}" for v in f) for f in faces]
            print(name, len(faces), "faces")
    with open(os.path.join(args.out, "expected.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
