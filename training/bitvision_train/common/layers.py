"""Trainable layers that map one to one onto engine operators (docs/person-model.md)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .quant import binary_weights, padding_value, quantize

INT = "int"      # raw integer dot products (engine IntBias with zero bias), summed by a QSum
FLOAT = "float"  # dot * scale + bias (engine FloatAffine), for head logits


class QConv(nn.Module):
    """Binary-weight convolution over integer activations; output thresholded to `out` bits, or int, or float."""

    def __init__(self, cin, cout, kernel=3, stride=1, groups=1, in_bits=2, out=2):
        super().__init__()
        kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
        self.cin, self.cout, self.kh, self.kw = cin, cout, kh, kw
        self.stride, self.groups, self.in_bits, self.out = stride, groups, in_bits, out
        self.ph, self.pw = kh // 2, kw // 2
        self.weight = nn.Parameter(torch.empty(cout, cin // groups, kh, kw))
        nn.init.uniform_(self.weight, -0.5, 0.5)
        fan_in = (cin // groups) * kh * kw
        if out == FLOAT:
            self.scale = nn.Parameter(torch.full((cout,), 1.0 / (math.sqrt(fan_in) * (1 if in_bits == 1 else 2))))
            self.bias = nn.Parameter(torch.zeros(cout))
        elif out != INT:
            self.bn = nn.BatchNorm2d(cout)

    def dot(self, x):
        x = F.pad(x, (self.pw, self.pw, self.ph, self.ph), value=padding_value(self.in_bits))
        return F.conv2d(x, binary_weights(self.weight), stride=self.stride, groups=self.groups)

    def forward(self, x):
        y = self.dot(x)
        if self.out == INT:
            return y
        if self.out == FLOAT:
            return y * self.scale.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)
        return quantize(self.bn(y), self.out)

    def sign_weights(self):
        return torch.where(self.weight >= 0, 1.0, -1.0).detach()


class QSum(nn.Module):
    """Sum of integer maps (engine Add), batch norm, quantiser (engine Quantize)."""

    def __init__(self, channels, out=2):
        super().__init__()
        self.out = out
        self.bn = nn.BatchNorm2d(channels)

    def forward(self, parts):
        total = parts[0]
        for p in parts[1:]:
            total = total + p
        return quantize(self.bn(total), self.out)


def bn_affine(bn):
    """(a, b) with bn(y) = a * y + b per channel, in float64."""
    a = bn.weight.detach().double() / torch.sqrt(bn.running_var.detach().double() + bn.eps)
    b = bn.bias.detach().double() - a * bn.running_mean.detach().double()
    return a, b


LIMIT = 1 << 30


def thresholds(bn, out_bits):
    """Integer thresholds on the dot so that counting passed thresholds equals quantize(bn(dot)) (exported form).

    Level l (1..L) is reached when a*y + b >= l - 0.5 (binary: a*y + b >= 0). For a > 0 that is y >= ceil(c);
    for a < 0 it is y <= floor(c) (descending); a == 0 gives a constant answer.
    Returns (thresholds [C, L] int64, descending [C] bool).
    """
    a, b = bn_affine(bn)
    levels = 1 if out_bits == 1 else (1 << out_bits) - 1
    targets = torch.zeros(1, dtype=torch.float64) if out_bits == 1 else torch.arange(1, levels + 1, dtype=torch.float64) - 0.5
    c = (targets.view(1, -1) - b.view(-1, 1)) / torch.where(a == 0, torch.ones_like(a), a).view(-1, 1)
    descending = a < 0
    t = torch.where(descending.view(-1, 1), torch.floor(c), torch.ceil(c))
    # a == 0: bn(y) = b for every y; reached always (threshold -LIMIT) or never (+LIMIT).
    const = (b.view(-1, 1) >= targets.view(1, -1))
    t = torch.where((a == 0).view(-1, 1), torch.where(const, -float(LIMIT), float(LIMIT)), t)
    t = t.clamp(-LIMIT, LIMIT).to(torch.int64)
    return t, descending
