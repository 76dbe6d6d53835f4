"""The person instance-segmentation network (docs/person-model.md).

MSCAN-style encoder with strip depthwise convolutions, a UNet-- skip memory (every encoder scale is folded into one
binary map at stride 8 as soon as it is computed) and a centre-based decoder built from SparseInst's parts. The
forward pass is written once against an `ops` backend: TrainOps runs it in PyTorch; common.graph.GraphOps runs the same
code to emit engine operators.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from ..common.blocks import ACT, StripBlock, TrainOps
from ..common.layers import FLOAT, INT, QConv, QSum

INPUT_HEIGHT, INPUT_WIDTH = 288, 384
MAP_BITS = 1     # bits of the stored UNet-- map
MAP_CH = 64      # channels of the stored UNet-- map (stride 8)


class PersonNet(nn.Module):
    def __init__(self, kernel_dim=32, widths=(24, 32, 64, 128), strips=(7, 11, 11), depths=(1, 2, 2)):
        super().__init__()
        w0, w1, w2, w3 = widths
        self.kernel_dim = kernel_dim
        self.stem = QConv(3, w0, 3, stride=2, in_bits=8, out=ACT)                        # /2
        self.down1 = QConv(w0, w1, 3, stride=2, in_bits=ACT, out=ACT)                    # /4
        self.stage1 = nn.ModuleList([StripBlock(w1, strips[0]) for _ in range(depths[0])])
        self.down2 = QConv(w1, w2, 3, stride=2, in_bits=ACT, out=ACT)                    # /8
        self.stage2 = nn.ModuleList([StripBlock(w2, strips[1]) for _ in range(depths[1])])
        self.down3 = QConv(w2, w3, 3, stride=2, in_bits=ACT, out=ACT)                    # /16
        self.stage3 = nn.ModuleList([StripBlock(w3, strips[2]) for _ in range(depths[2])])
        # UNet-- skip memory (MSIAM): each scale is reduced to stride 8 and folded into the one stored map.
        self.fold0 = QConv(w0 * 16, MAP_CH, 1, in_bits=ACT, out=MAP_BITS)
        self.fold1_map = QConv(MAP_CH, MAP_CH, 1, in_bits=MAP_BITS, out=INT)
        self.fold1_new = QConv(w1 * 4, MAP_CH, 1, in_bits=ACT, out=INT)
        self.fold1 = QSum(MAP_CH, out=MAP_BITS)
        self.fold2_map = QConv(MAP_CH, MAP_CH, 1, in_bits=MAP_BITS, out=INT)
        self.fold2_new = QConv(w2, MAP_CH, 1, in_bits=ACT, out=INT)
        self.fold2 = QSum(MAP_CH, out=MAP_BITS)
        # Decoder (IEM expands the stored map back to stride 8 and stride 4).
        self.deep = QConv(w3, 64, 1, in_bits=ACT, out=INT)
        self.expand8 = QConv(MAP_CH, 64, 3, in_bits=MAP_BITS, out=INT)
        self.fuse8 = QSum(64, out=ACT)
        self.inst1 = QConv(64, 64, 3, in_bits=ACT, out=ACT)
        self.inst2 = QConv(64, 64, 3, in_bits=ACT, out=ACT)
        self.heatmap = QConv(64, 1, 3, in_bits=ACT, out=FLOAT)
        self.heads = nn.Conv2d(64, 4 + kernel_dim, 1)
        self.mask_up = QConv(64, kernel_dim, 1, in_bits=ACT, out=INT)
        self.expand4 = QConv(MAP_CH // 4, kernel_dim, 1, in_bits=MAP_BITS, out=INT)
        self.fuse4 = QSum(kernel_dim, out=ACT)
        self.mask_features = QConv(kernel_dim, kernel_dim, 3, in_bits=ACT, out=ACT)
        with torch.no_grad():
            self.heads.weight.mul_(0.1)
            self.heads.bias.zero_()
            self.heads.bias[kernel_dim + 2:] = -1.0  # spatial prior starts as a bump around the centre
            self.heatmap.bias.fill_(-2.19)           # CenterNet's prior: sigmoid = 0.1

    def forward(self, image, ops=None):
        """image: [B, 3, 288, 384] RGB levels 0..255. Returns (centre heatmap probabilities, per-pixel heads, mask
        features)."""
        ops = ops or TrainOps()
        e0 = ops.mark("e0", ops.conv(self.stem, image))
        skip = ops.mark("skip0", ops.conv(self.fold0, ops.unshuffle(e0, 4)))
        x = ops.conv(self.down1, e0)
        for block in self.stage1:
            x = block(x, ops)
        e1 = ops.mark("e1", x)
        skip = ops.mark("skip1", ops.sum(self.fold1, [ops.conv(self.fold1_map, skip), ops.conv(self.fold1_new, ops.unshuffle(e1, 2))]))
        x = ops.conv(self.down2, e1)
        for block in self.stage2:
            x = block(x, ops)
        e2 = ops.mark("e2", x)
        skip = ops.mark("skip", ops.sum(self.fold2, [ops.conv(self.fold2_map, skip), ops.conv(self.fold2_new, e2)]))
        x = ops.conv(self.down3, e2)
        for block in self.stage3:
            x = block(x, ops)
        f8 = ops.sum(self.fuse8, [ops.up2(ops.conv(self.deep, x)), ops.conv(self.expand8, skip)])
        g8 = ops.conv(self.inst2, ops.conv(self.inst1, f8))
        heat = ops.mark("heatmap", ops.sigmoid(ops.conv(self.heatmap, g8)))
        heads = ops.mark("heads", ops.head(self.heads, g8))
        f4 = ops.sum(self.fuse4, [ops.conv(self.mask_up, ops.up2(f8)), ops.conv(self.expand4, ops.shuffle(skip, 2))])
        mf = ops.mark("mask_features", ops.conv(self.mask_features, f4))
        return heat, heads, mf


SPATIAL_SCALE = 100.0


def window_average(heat, heads, cy, cx):
    """Heat-weighted average of the heads over the 3x3 cells around (cy, cx), clipped to the grid, and the
    weighted centroid in normalised image coordinates. heat [h,w], heads [C,h,w]. Returns (v [C], cu, cv)."""
    h, w = heat.shape
    y0, y1, x0, x1 = max(0, cy - 1), min(h, cy + 2), max(0, cx - 1), min(w, cx + 2)
    a = heat[y0:y1, x0:x1]
    total = a.sum()
    v = (heads[:, y0:y1, x0:x1] * a).sum((1, 2)) / total
    ys = (torch.arange(y0, y1, dtype=heat.dtype, device=heat.device) + 0.5) / h
    xs = (torch.arange(x0, x1, dtype=heat.dtype, device=heat.device) + 0.5) / w
    cu = (a * xs.view(1, -1)).sum() / total
    cv = (a * ys.view(-1, 1)).sum() / total
    return v, cu, cv


def mask_logits(v, cu, cv, mask_features):
    """kernel . features + bias + spatial prior around the centre. mask_features [D,h4,w4] -> [h4,w4]."""
    d, h4, w4 = mask_features.shape
    logits = torch.einsum("c,chw->hw", v[1:1 + d], mask_features) + v[1 + d]
    us = (torch.arange(w4, dtype=mask_features.dtype, device=mask_features.device) + 0.5) / w4
    vs = (torch.arange(h4, dtype=mask_features.dtype, device=mask_features.device) + 0.5) / h4
    prior = v[2 + d] * (us.view(1, -1) - cu) ** 2 + v[3 + d] * (vs.view(-1, 1) - cv) ** 2
    return logits + SPATIAL_SCALE * prior
