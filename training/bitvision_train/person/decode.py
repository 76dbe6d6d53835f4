"""Instances from the network's outputs: the same steps as the Java CenterInstDecoder (docs/person-model.md)."""
import math

import numpy as np
import torch
from scipy import ndimage
import torch.nn.functional as F

from .model import mask_logits, window_average


def peaks(heat, threshold, limit):
    """Cells at least as hot as each neighbour and >= threshold, hottest first (ties: raster order)."""
    h, w = heat.shape
    pooled = F.max_pool2d(heat[None, None], 3, stride=1, padding=1)[0, 0]
    ys, xs = torch.nonzero((heat >= pooled) & (heat >= threshold), as_tuple=True)
    order = sorted(range(len(ys)), key=lambda i: (-float(heat[ys[i], xs[i]]), int(ys[i]) * w + int(xs[i])))
    return [(int(ys[i]), int(xs[i])) for i in order[:limit]]


OFF_LOGIT = -1.0e4


def keep_nearest_component(logits, mask_threshold, cu, cv):
    """Switch off every 4-connected piece of on cells but the one holding the on cell nearest the centre
    (ties: lowest raster index), as the Java NearestComponent does."""
    h4, w4 = logits.shape
    on = (torch.sigmoid(logits) > mask_threshold).numpy()
    if not on.any():
        return logits
    us = (np.arange(w4) + 0.5) / w4 - float(cu)
    vs = (np.arange(h4) + 0.5) / h4 - float(cv)
    distance = np.where(on, vs[:, None] ** 2 + us[None, :] ** 2, np.inf)
    seed = int(np.argmin(distance))
    labels, _ = ndimage.label(on)
    keep = labels == labels.flat[seed]
    out = logits.clone()
    out[torch.from_numpy(on & ~keep)] = OFF_LOGIT
    return out


def decode(heatmap, heads, mask_features, frame_height, frame_width, score_threshold=0.3, mask_threshold=0.45,
           max_instances=30, peak_threshold=0.1, mask_component="nearest"):
    """One image (batch of 1). Returns dicts {score, mask (HxW bool), bbox [x,y,w,h], area}, best first."""
    heat = heatmap[0, 0].double()
    hd = heads[0].double()
    mf = mask_features[0].double()
    cut = math.log(mask_threshold / (1 - mask_threshold))
    found = []
    for cy, cx in peaks(heat, peak_threshold, max_instances):
        v, cu, cv = window_average(heat, hd, cy, cx)
        score0 = math.sqrt(float(heat[cy, cx]) * float(torch.sigmoid(v[0])))
        logits = mask_logits(v, cu, cv, mf)
        if mask_component == "nearest":
            logits = keep_nearest_component(logits, mask_threshold, cu, cv)
        prob = torch.sigmoid(logits)
        on = prob > mask_threshold
        if not bool(on.any()):
            continue
        final = score0 * float(prob[on].mean())
        if final < score_threshold:
            continue
        full = F.interpolate(logits.float()[None, None], size=(frame_height, frame_width), mode="bilinear",
                             align_corners=False)[0, 0]
        mask = (full > cut).numpy()
        if not mask.any():
            continue
        ys, xs = np.nonzero(mask)
        found.append({"score": final, "mask": mask, "area": int(mask.sum()),
                      "bbox": [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)]})
    found.sort(key=lambda d: -d["score"])
    return found[:max_instances]
