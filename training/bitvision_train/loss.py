"""SparseInst's training criterion: Hungarian matching on dice x class score, focal class loss, dice + BCE on
matched masks, IoU-aware objectness (arXiv 2203.12827, section 3.3; weights from the authors' config)."""
import torch
import torch.nn.functional as F
from scipy.optimize import linear_sum_assignment

ALPHA, BETA = 0.8, 0.2
W_CLASS, W_DICE, W_MASK, W_OBJ = 2.0, 2.0, 5.0, 1.0


def dice_score(pred, target):
    """pred [N,P] probabilities, target [K,P] 0/1 -> [N,K]."""
    num = 2 * pred @ target.T
    den = pred.sum(-1, keepdim=True) + target.sum(-1).unsqueeze(0)
    return num / (den + 1e-5)


def focal_loss(logits, targets, alpha=0.25, gamma=2.0):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    pt = p * targets + (1 - p) * (1 - targets)
    return (ce * (1 - pt) ** gamma * (alpha * targets + (1 - alpha) * (1 - targets))).sum()


def criterion(class_logits, obj_logits, mask_logits, targets):
    """class_logits, obj_logits [B,N]; mask_logits [B,N,h,w] (upsampled to the targets' size); targets: list of [K,h,w]."""
    b, n = class_logits.shape
    total_instances = max(1, sum(t.shape[0] for t in targets))
    class_target = torch.zeros_like(class_logits)
    dice_l = mask_l = obj_l = class_logits.new_zeros(())
    for i in range(b):
        t = targets[i].flatten(1)
        if t.shape[0] == 0:
            continue
        m = mask_logits[i].flatten(1)
        with torch.no_grad():
            prob = torch.sigmoid(m)
            score = dice_score(prob, t).clamp_min(0) ** BETA * torch.sigmoid(class_logits[i]).unsqueeze(1) ** ALPHA
            rows, cols = linear_sum_assignment(score.numpy(), maximize=True)
        rows = torch.as_tensor(rows)
        cols = torch.as_tensor(cols)
        class_target[i, rows] = 1
        pm = m[rows]
        tm = t[cols]
        pp = torch.sigmoid(pm)
        dice_l = dice_l + (1 - (2 * (pp * tm).sum(-1) + 1) / (pp.sum(-1) + tm.sum(-1) + 1)).sum()
        mask_l = mask_l + F.binary_cross_entropy_with_logits(pm, tm, reduction="none").mean(-1).sum()
        with torch.no_grad():
            binary = (pp > 0.5).float()
            iou = (binary * tm).sum(-1) / ((binary + tm).clamp(max=1).sum(-1) + 1e-6)
        obj_l = obj_l + F.binary_cross_entropy_with_logits(obj_logits[i, rows], iou, reduction="sum")
    class_l = focal_loss(class_logits, class_target)
    parts = {
        "class": W_CLASS * class_l / total_instances,
        "dice": W_DICE * dice_l / total_instances,
        "mask": W_MASK * mask_l / total_instances,
        "objectness": W_OBJ * obj_l / total_instances,
    }
    return sum(parts.values()), {k: float(v) for k, v in parts.items()}
