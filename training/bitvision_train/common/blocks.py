"""Building blocks both networks are written with: TrainOps (the PyTorch backend of a forward pass written against
an `ops` object; graph.GraphOps is the export backend) and the MSCAN strip block."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import INT, QConv, QSum

ACT = 2          # bits of the encoder/decoder activations


class TrainOps:
    def conv(self, layer, x):
        return layer(x)

    def sum(self, layer, parts):
        return layer(parts)

    def up2(self, x):
        return F.interpolate(x, scale_factor=2, mode="nearest")

    def shuffle(self, x, r):
        return F.pixel_shuffle(x, r)

    def unshuffle(self, x, r):
        return F.pixel_unshuffle(x, r)

    def head(self, layer, x):
        return layer(x)

    def sigmoid(self, x):
        return torch.sigmoid(x)

    def global_sum(self, x):
        return x.sum((2, 3), keepdim=True)

    def mark(self, name, x):
        return x


class StripBlock(nn.Module):
    """MSCAN block, bitwise form: strip depthwise attention (1xk, kx1, 1x1) added to its input instead of
    multiplied (the multiply, GELU and LayerNorm have no bitwise equivalent we trust), then a 3x3 feed-forward
    conv, again as a residual sum. Every sum is an engine Add followed by a Quantize."""

    def __init__(self, channels, k):
        super().__init__()
        self.strip_h = QConv(channels, channels, (1, k), groups=channels, in_bits=ACT, out=ACT)
        self.strip_v = QConv(channels, channels, (k, 1), groups=channels, in_bits=ACT, out=ACT)
        self.mix = QConv(channels, channels, 1, in_bits=ACT, out=INT)
        self.identity1 = QConv(channels, channels, 1, in_bits=ACT, out=INT)
        self.attend = QSum(channels, out=ACT)
        self.ffn = QConv(channels, channels, 3, in_bits=ACT, out=INT)
        self.identity2 = QConv(channels, channels, 1, in_bits=ACT, out=INT)
        self.feed = QSum(channels, out=ACT)

    def forward(self, x, ops):
        a = ops.conv(self.strip_v, ops.conv(self.strip_h, x))
        x = ops.sum(self.attend, [ops.conv(self.mix, a), ops.conv(self.identity1, x)])
        return ops.sum(self.feed, [ops.conv(self.ffn, x), ops.conv(self.identity2, x)])
