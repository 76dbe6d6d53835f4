"""SFace: sigmoid-constrained hypersphere loss (Zhong et al., IEEE TIP 2021, arXiv 2205.12010).

    L = -r_intra(theta_y) * s * cos(theta_y) + sum_{j != y} r_inter(theta_j) * s * cos(theta_j)
    r_intra(t) = sigmoid(k * (t - a)),  r_inter(t) = sigmoid(-k * (t - b))

Embeddings and class weights are L2-normalised; theta is the angle between them. The two sigmoid factors are
computed without gradient: they only re-scale the gradient of each cosine (intra-class pull fades once theta_y is
well below a, inter-class push fades once theta_j is well above b). Defaults are the authors': s=64, k=80,
a=0.80, b=1.23 (radians).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def sface_from_cosine(cosine, labels, s=64.0, k=80.0, a=0.80, b=1.23):
    """Loss from the cosine matrix [B, C] (embeddings x class weights) and integer labels [B]; mean over the batch."""
    one_hot = F.one_hot(labels, cosine.shape[1]).to(cosine.dtype)
    cos_y = (cosine * one_hot).sum(1)
    with torch.no_grad():
        theta = torch.acos(cosine.clamp(-1 + 1e-7, 1 - 1e-7))
        theta_y = (theta * one_hot).sum(1)
        r_intra = torch.sigmoid(k * (theta_y - a))
        r_inter = torch.sigmoid(-k * (theta - b)) * (1 - one_hot)
    intra = -r_intra * s * cos_y
    inter = (r_inter * s * cosine).sum(1)
    return (intra + inter).mean()


class SFaceLoss(nn.Module):
    """Class weights [C, D] and the loss on embeddings [B, D]."""

    def __init__(self, embedding_dim, classes, s=64.0, k=80.0, a=0.80, b=1.23):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(classes, embedding_dim))
        nn.init.xavier_uniform_(self.weight)
        self.s, self.k, self.a, self.b = s, k, a, b

    def forward(self, embeddings, labels):
        cosine = F.normalize(embeddings) @ F.normalize(self.weight).t()
        return sface_from_cosine(cosine, labels, self.s, self.k, self.a, self.b)
