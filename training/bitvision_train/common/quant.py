"""Binarizers and quantizers with straight-through estimators, in the forms the engine runs.

Activations are integers: binary ones are -1/+1, k-bit ones are unsigned levels 0..2^k-1. Batch norm before each
quantizer learns the scale, so no activation carries a float scale and the engine's thresholds see the exact
integer dot products.
"""
import torch
import torch.nn.functional as F


def binary_weights(w):
    """sign(w) forward (+1 for w >= 0, as the exporter does); gradient of hardtanh backward."""
    clipped = F.hardtanh(w)
    signed = torch.where(w >= 0, torch.ones_like(w), -torch.ones_like(w))
    return (signed - clipped).detach() + clipped


def binary_activation(z):
    clipped = F.hardtanh(z)
    return (torch.sign(z) - clipped).detach() + clipped


def level_activation(z, bits):
    """Unsigned k-bit levels: round(clamp(z, 0, L)); straight-through inside [0, L]."""
    top = float((1 << bits) - 1)
    clipped = F.hardtanh(z, 0.0, top)
    return (torch.round(clipped) - clipped).detach() + clipped


def quantize(z, bits):
    return binary_activation(z) if bits == 1 else level_activation(z, bits)


def padding_value(bits):
    """What the engine reads outside the frame: -1 for binary activations (bit 0), 0 for k-bit ones."""
    return -1.0 if bits == 1 else 0.0
