"""The binary-weight face detector with five landmarks (docs/face-model.md).

A separate small network rather than a face class in the person network: faces need a different input (the
whole frame of a face camera, faces of 16..120 px) than the person model's 288x384 surveillance view, and the
person model is trained on one street camera where faces are a few pixels tall. Built from the person network's
parts (1-bit weights, 2-bit activations, MSCAN strip blocks), so graph.GraphOps turns it into engine operators.

Output at stride 8 (a CenterNet-style detector, arXiv 1904.07850): a centre heatmap and, per cell, 14 float
heads: sub-cell offset (dx, dy), log size (log(w / SIZE_BASE), log(h / SIZE_BASE)) and the five landmarks as
offsets from the box centre in box units ((x - cx) / w, (y - cy) / h). Landmark order is SFace's template:
image-left eye, image-right eye, nose tip, image-left mouth corner, image-right mouth corner.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from ..common.blocks import ACT, StripBlock, TrainOps
from ..common.layers import FLOAT, INT, QConv, QSum

INPUT_HEIGHT, INPUT_WIDTH = 240, 320
STRIDE = 8
SIZE_BASE = 32.0
HEADS = 14
LANDMARKS = 5


class FaceDetNet(nn.Module):
    def __init__(self, widths=(16, 32, 64, 128), strip=7):
        super().__init__()
        w0, w1, w2, w3 = widths
        self.stem = QConv(3, w0, 3, stride=2, in_bits=8, out=ACT)          # /2
        self.down1 = QConv(w0, w1, 3, stride=2, in_bits=ACT, out=ACT)      # /4
        self.stage1 = nn.ModuleList([StripBlock(w1, strip)])
        self.down2 = QConv(w1, w2, 3, stride=2, in_bits=ACT, out=ACT)      # /8
        self.stage2 = nn.ModuleList([StripBlock(w2, strip) for _ in range(2)])
        self.down3 = QConv(w2, w3, 3, stride=2, in_bits=ACT, out=ACT)      # /16
        self.stage3 = nn.ModuleList([StripBlock(w3, strip)])
        self.deep = QConv(w3, 64, 1, in_bits=ACT, out=INT)
        self.lateral = QConv(w2, 64, 1, in_bits=ACT, out=INT)
        self.fuse8 = QSum(64, out=ACT)
        self.neck = QConv(64, 64, 3, in_bits=ACT, out=ACT)
        self.heatmap = QConv(64, 1, 3, in_bits=ACT, out=FLOAT)
        self.heads = nn.Conv2d(64, HEADS, 1)
        with torch.no_grad():
            self.heads.weight.mul_(0.1)
            self.heads.bias.zero_()
            self.heatmap.bias.fill_(-2.19)  # CenterNet's prior: sigmoid = 0.1

    def forward(self, image, ops=None):
        """image [B, 3, 240, 320] RGB levels 0..255 -> (heatmap probabilities [B,1,30,40], heads [B,14,30,40])."""
        ops = ops or TrainOps()
        x = ops.conv(self.stem, image)
        x = ops.conv(self.down1, x)
        for block in self.stage1:
            x = block(x, ops)
        x = ops.conv(self.down2, x)
        for block in self.stage2:
            x = block(x, ops)
        e2 = x
        x = ops.conv(self.down3, e2)
        for block in self.stage3:
            x = block(x, ops)
        f8 = ops.sum(self.fuse8, [ops.up2(ops.conv(self.deep, x)), ops.conv(self.lateral, e2)])
        g8 = ops.conv(self.neck, f8)
        heat = ops.mark("heatmap", ops.sigmoid(ops.conv(self.heatmap, g8)))
        heads = ops.mark("heads", ops.head(self.heads, g8))
        return heat, heads


def flip_landmarks(landmarks, width):
    """Mirror five landmarks [5,2] in an image of `width` px: x -> width - x, and left/right swap roles."""
    mirrored = [[width - x, y] for x, y in landmarks]
    return [mirrored[1], mirrored[0], mirrored[2], mirrored[4], mirrored[3]]


def cell_targets(face, cy, cx):
    """Head targets of cell (cy, cx) for a face {box: [x,y,w,h] in input px, landmarks: [[x,y]*5] or None}."""
    x, y, w, h = face["box"]
    fx, fy = x + w / 2, y + h / 2
    t = [fx / STRIDE - (cx + 0.5), fy / STRIDE - (cy + 0.5), math.log(w / SIZE_BASE), math.log(h / SIZE_BASE)]
    if face.get("landmarks") is not None:
        for lx, ly in face["landmarks"]:
            t += [(lx - fx) / w, (ly - fy) / h]
    else:
        t += [0.0] * (2 * LANDMARKS)
    return t


def targets(faces, ignores, h, w):
    """CenterNet heat target [h,w], ignore mask [h,w] (1 = no heat loss), and regression samples: list of
    (cy, cx, target[14], landmark weight). Faces below MIN_FACE px wide are ignored, not taught."""
    heat = torch.zeros(h, w)
    ignore = torch.zeros(h, w)
    yy = torch.arange(h, dtype=torch.float32).view(-1, 1)
    xx = torch.arange(w, dtype=torch.float32).view(1, -1)
    samples = []
    centres = []
    for box in ignores + [f["box"] for f in faces if f["box"][2] < MIN_FACE]:
        x0, y0 = int(math.floor(box[0] / STRIDE)), int(math.floor(box[1] / STRIDE))
        x1, y1 = int(math.ceil((box[0] + box[2]) / STRIDE)), int(math.ceil((box[1] + box[3]) / STRIDE))
        ignore[max(0, y0):max(0, min(h, y1)), max(0, x0):max(0, min(w, x1))] = 1
    for face in faces:
        x, y, bw, bh = face["box"]
        if bw < MIN_FACE:
            continue
        cx, cy = int(math.floor((x + bw / 2) / STRIDE)), int(math.floor((y + bh / 2) / STRIDE))
        if not (0 <= cx < w and 0 <= cy < h):
            continue
        sy, sx = max(0.5, bh / STRIDE / 6), max(0.5, bw / STRIDE / 6)
        heat = torch.maximum(heat, torch.exp(-((yy - cy) ** 2) / (2 * sy * sy) - ((xx - cx) ** 2) / (2 * sx * sx)))
        centres.append((cy, cx))
        lw = 1.0 if face.get("landmarks") is not None else 0.0
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                ny, nx = cy + dy, cx + dx
                if 0 <= ny < h and 0 <= nx < w:
                    samples.append((ny, nx, cell_targets(face, ny, nx), lw, 1.0 if dy == dx == 0 else 0.5))
    for cy, cx in centres:
        heat[cy, cx] = 1.0
        ignore[cy, cx] = 0
    return heat, ignore, samples


MIN_FACE = 12.0
W_HEAT, W_BOX, W_LANDMARKS = 1.0, 1.0, 2.0


def criterion(heatmap, heads, batch_targets):
    """heatmap [B,1,h,w], heads [B,14,h,w], batch_targets: list of targets() results."""
    b = heatmap.shape[0]
    heat_l = box_l = lm_l = heatmap.new_zeros(())
    weight = 0.0
    for i in range(b):
        heat_t, ignore, samples = batch_targets[i]
        p = heatmap[i, 0].clamp(1e-4, 1 - 1e-4)
        pos = heat_t == 1
        keep = ignore == 0
        pos_loss = -((1 - p) ** 2 * torch.log(p))[pos].sum()
        neg_loss = -(((1 - heat_t) ** 4) * p ** 2 * torch.log(1 - p))[(~pos) & keep].sum()
        heat_l = heat_l + (pos_loss + neg_loss) / max(1, int(pos.sum()))
        for cy, cx, t, lw, w in samples:
            t = torch.tensor(t)
            v = heads[i, :, cy, cx]
            box_l = box_l + w * F.smooth_l1_loss(v[:4], t[:4], reduction="sum", beta=0.1)
            lm_l = lm_l + w * lw * F.smooth_l1_loss(v[4:], t[4:], reduction="sum", beta=0.05)
            weight += w
    weight = max(1.0, weight)
    parts = {"heat": W_HEAT * heat_l / b, "box": W_BOX * box_l / weight, "landmarks": W_LANDMARKS * lm_l / weight}
    return sum(parts.values()), {k: float(v) for k, v in parts.items()}


def decode(heat, heads, score_threshold, max_faces=50, frame_w=INPUT_WIDTH, frame_h=INPUT_HEIGHT):
    """Python mirror of the engine's CenterFaceDecoder (centerface-v1). heat [h,w] probabilities, heads [14,h,w].
    Returns faces sorted by score: {score, box [x,y,w,h], landmarks [[x,y]*5]} in frame pixels."""
    h, w = heat.shape
    pooled = F.max_pool2d(heat[None, None], 3, 1, 1)[0, 0]
    peaks = torch.nonzero((heat == pooled) & (heat >= score_threshold), as_tuple=False).tolist()
    peaks.sort(key=lambda p: (-float(heat[p[0], p[1]]), p[0], p[1]))
    sx, sy = frame_w / (w * STRIDE), frame_h / (h * STRIDE)
    faces = []
    for cy, cx in peaks[:max_faces]:
        v = heads[:, cy, cx].double()
        fx = (cx + 0.5 + float(v[0])) * STRIDE
        fy = (cy + 0.5 + float(v[1])) * STRIDE
        bw = SIZE_BASE * math.exp(float(v[2]))
        bh = SIZE_BASE * math.exp(float(v[3]))
        lms = [[(fx + float(v[4 + 2 * k]) * bw) * sx, (fy + float(v[5 + 2 * k]) * bh) * sy] for k in range(LANDMARKS)]
        faces.append({"score": float(heat[cy, cx]), "box": [(fx - bw / 2) * sx, (fy - bh / 2) * sy, bw * sx, bh * sy],
                      "landmarks": lms})
    return faces
