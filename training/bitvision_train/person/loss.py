"""Training criterion of the centre-based instance decoder: CenterNet's penalty-reduced focal loss on the centre
heatmap (arXiv 1904.07850, eq. 1), and for every labelled instance the mask its centre's kernel produces, scored
by dice + BCE (as SparseInst/CondInst), with an IoU-aware objectness (as SparseInst)."""
import torch
import torch.nn.functional as F

from .model import mask_logits, window_average

W_HEAT, W_DICE, W_MASK, W_OBJ = 1.0, 2.0, 2.0, 1.0
STRIDE = 8


def instance_centres(masks, target_stride):
    """masks [K,H,W] at `target_stride` pixels of the input -> list of (cy, cx, sigma_y, sigma_x) on the
    stride-8 grid: the cell holding the mask's centroid, Gaussian sizes from its box."""
    centres = []
    scale = target_stride / STRIDE
    for m in masks:
        ys, xs = torch.nonzero(m > 0.5, as_tuple=True)
        cy = int(((ys.double().mean() + 0.5) * scale).floor())
        cx = int(((xs.double().mean() + 0.5) * scale).floor())
        bh = float(ys.max() - ys.min() + 1) * scale
        bw = float(xs.max() - xs.min() + 1) * scale
        centres.append((cy, cx, max(0.5, bh / 6), max(0.5, bw / 6)))
    return centres


def heat_target(centres, h, w, device=None):
    t = torch.zeros(h, w, device=device)
    yy = torch.arange(h, dtype=torch.float32, device=device).view(-1, 1)
    xx = torch.arange(w, dtype=torch.float32, device=device).view(1, -1)
    for cy, cx, sy, sx in centres:
        g = torch.exp(-((yy - cy) ** 2) / (2 * sy * sy) - ((xx - cx) ** 2) / (2 * sx * sx))
        t = torch.maximum(t, g)
    for cy, cx, _, _ in centres:
        t[cy, cx] = 1.0
    return t


def focal_heat_loss(pred, target):
    p = pred.clamp(1e-4, 1 - 1e-4)
    pos = target == 1
    pos_loss = -((1 - p) ** 2 * torch.log(p))[pos].sum()
    neg_loss = -(((1 - target) ** 4) * p ** 2 * torch.log(1 - p))[~pos].sum()
    return (pos_loss + neg_loss) / max(1, int(pos.sum()))


def criterion(heatmap, heads, mask_features, targets, target_stride=2):
    """heatmap [B,1,h,w] probabilities, heads [B,C,h,w], mask_features [B,D,h4,w4], targets list of [K,H,W] masks
    at `target_stride` (H = h * 8 / target_stride)."""
    b = heatmap.shape[0]
    h, w = heatmap.shape[2:]
    heat_l = dice_l = mask_l = obj_l = heatmap.new_zeros(())
    count = 0
    for i in range(b):
        t = targets[i]
        centres = instance_centres(t, target_stride) if t.shape[0] else []
        centres = [c for c in centres if 0 <= c[0] < h and 0 <= c[1] < w]
        heat_l = heat_l + focal_heat_loss(heatmap[i, 0], heat_target(centres, h, w, heatmap.device))
        for k, (cy, cx, _, _) in enumerate(centres):
            v, cu, cv = window_average(heatmap[i, 0], heads[i], cy, cx)
            logits = mask_logits(v, cu, cv, mask_features[i])
            up = F.interpolate(logits[None, None], size=t.shape[1:], mode="bilinear", align_corners=False)[0, 0]
            tm = t[k]
            pp = torch.sigmoid(up)
            dice_l = dice_l + 1 - (2 * (pp * tm).sum() + 1) / (pp.sum() + tm.sum() + 1)
            mask_l = mask_l + F.binary_cross_entropy_with_logits(up, tm)
            with torch.no_grad():
                on = (pp > 0.5).float()
                iou = (on * tm).sum() / ((on + tm).clamp(max=1).sum() + 1e-6)
            obj_l = obj_l + F.binary_cross_entropy_with_logits(v[0], iou)
            count += 1
    count = max(1, count)
    parts = {"heat": W_HEAT * heat_l / b, "dice": W_DICE * dice_l / count, "mask": W_MASK * mask_l / count,
             "objectness": W_OBJ * obj_l / count}
    return sum(parts.values()), {k: float(v) for k, v in parts.items()}
