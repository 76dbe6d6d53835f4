"""Instances from the network's outputs: the same steps as the Java SparseInstDecoder (docs/person-model.md)."""
import math

import numpy as np
import torch
import torch.nn.functional as F

from .model import instance_outputs


def decode(iam, heads, mask_features, frame_height, frame_width, score_threshold=0.3, mask_threshold=0.45,
           max_instances=100):
    """One image (batch of 1). Returns a list of dicts {score, mask (HxW uint8), bbox [x,y,w,h], area}, best first."""
    cls, obj, masks = instance_outputs(iam.float(), heads.float(), mask_features.float())
    cls, obj, masks = cls[0], obj[0], masks[0]
    score = torch.sqrt(torch.sigmoid(cls) * torch.sigmoid(obj))
    prob = torch.sigmoid(masks)
    on = prob > mask_threshold
    counts = on.flatten(1).sum(-1)
    mask_score = torch.where(counts > 0, (prob * on).flatten(1).sum(-1) / counts.clamp_min(1), torch.zeros_like(score))
    final = score * mask_score
    cut = math.log(mask_threshold / (1 - mask_threshold))
    out = []
    for n in torch.argsort(final, descending=True).tolist():
        if final[n] < score_threshold or counts[n] == 0:
            continue
        logits = F.interpolate(masks[n][None, None], size=(frame_height, frame_width), mode="bilinear",
                               align_corners=False)[0, 0]
        full = (logits > cut).numpy().astype(np.uint8)
        if full.sum() == 0:
            continue
        ys, xs = np.nonzero(full)
        out.append({"score": float(final[n]), "mask": full, "area": int(full.sum()),
                    "bbox": [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)]})
        if len(out) >= max_instances:
            break
    return out
