"""The binary-weight face embedder (MobileFaceNet-like in size, built from the person network's layers).

112x112 RGB (the 5-point aligned crop) -> 128-d embedding, L2-normalised by the caller. Every convolution has
1-bit weights and 2-bit activations; the tail is a global sum (engine GlobalPool, int32) and a float 1x1 head,
the only non-bitwise MACs. Written against the same `ops` backends as person.model.PersonNet, so graph.GraphOps turns
it into engine operators.
"""
import torch.nn as nn

from ..common.blocks import ACT, StripBlock, TrainOps
from ..common.layers import QConv

FACE_SIZE = 112
EMBEDDING = 128


class FaceNet(nn.Module):
    def __init__(self, widths=(32, 64, 128, 256), depths=(1, 2, 2, 1), strip=7):
        super().__init__()
        w0, w1, w2, w3 = widths
        self.stem = QConv(3, w0, 3, stride=2, in_bits=8, out=ACT)           # 56
        self.stage0 = nn.ModuleList([StripBlock(w0, strip) for _ in range(depths[0])])
        self.down1 = QConv(w0, w1, 3, stride=2, in_bits=ACT, out=ACT)       # 28
        self.stage1 = nn.ModuleList([StripBlock(w1, strip) for _ in range(depths[1])])
        self.down2 = QConv(w1, w2, 3, stride=2, in_bits=ACT, out=ACT)       # 14
        self.stage2 = nn.ModuleList([StripBlock(w2, strip) for _ in range(depths[2])])
        self.down3 = QConv(w2, w3, 3, stride=2, in_bits=ACT, out=ACT)       # 7
        self.stage3 = nn.ModuleList([StripBlock(w3, strip) for _ in range(depths[3])])
        self.head = nn.Conv2d(w3, EMBEDDING, 1)
        nn.init.normal_(self.head.weight, std=0.01)

    def forward(self, image, ops=None):
        """image [B, 3, 112, 112] RGB levels 0..255 -> [B, 128, 1, 1] embedding (not normalised)."""
        ops = ops or TrainOps()
        x = ops.conv(self.stem, image)
        for stage, down in ((self.stage0, None), (self.stage1, self.down1), (self.stage2, self.down2),
                            (self.stage3, self.down3)):
            if down is not None:
                x = ops.conv(down, x)
            for block in stage:
                x = block(x, ops)
        return ops.mark("embedding", ops.head(self.head, ops.global_sum(x)))
