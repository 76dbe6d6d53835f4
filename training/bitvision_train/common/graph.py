"""The engine graph of a network written against an `ops` backend, and its deploy-form reference values.

GraphOps runs the network's forward once more and, instead of training ops, emits engine operators with batch
norm folded into integer thresholds. It also computes every tensor's value the way the engine defines it (exact
integers in float64), which is "the PyTorch model" the Java engine must equal bit for bit.
"""
import hashlib

import numpy as np
import torch
import torch.nn.functional as F

from . import bvm
from .layers import FLOAT, INT, thresholds
from .quant import padding_value


class Ref:
    """A tensor of the exported graph: id, kind ('bits' with bits, 'int' or 'float'), shape, deploy value."""

    def __init__(self, tid, kind, bits, value):
        self.id, self.kind, self.bits, self.value = tid, kind, bits, value

    @property
    def channels(self):
        return self.value.shape[1]


class GraphOps:
    def __init__(self, image):
        self.nodes = []
        self.refs = [Ref(0, "bits", 8, image.double())]
        self.marks = {}

    def _emit(self, node, kind, bits, value):
        self.nodes.append(node)
        ref = Ref(len(self.refs), kind, bits, value)
        self.refs.append(ref)
        return ref

    # --- operators -----------------------------------------------------------------------------------------
    def conv(self, layer, x):
        assert x.kind == "bits" and x.bits == layer.in_bits, (x.kind, x.bits, layer.in_bits)
        signs = layer.sign_weights().double()
        pad = padding_value(layer.in_bits)
        y = F.conv2d(F.pad(x.value, (layer.pw, layer.pw, layer.ph, layer.ph), value=pad), signs,
                     stride=layer.stride, groups=layer.groups)
        source = x
        if layer.stride > 1:
            # Strided k x k conv = patch packing + 1x1 conv with the same canonical weight bits (fast dense kernel).
            source = self._emit({"op": bvm.PATCH_PACK, "inputs": [x.id],
                                 "params": [layer.kh, layer.kw, layer.stride, layer.stride, layer.ph, layer.pw, 1, 1]},
                                "bits", x.bits, patch_pack(x.value, layer, pad))
            geometry = dict(zip(("in", "out", "kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw", "groups"),
                                (layer.cin * layer.kh * layer.kw, layer.cout, 1, 1, 1, 1, 0, 0, 1, 1, 1)))
        else:
            geometry = dict(zip(("in", "out", "kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw", "groups"),
                                (layer.cin, layer.cout, layer.kh, layer.kw, 1, 1, layer.ph, layer.pw, 1, 1, layer.groups)))
        canonical = signs.permute(0, 2, 3, 1).reshape(-1).tolist()
        node = {"op": bvm.CONV, "inputs": [source.id], "input_bits": layer.in_bits, "geometry": geometry,
                "signs": canonical, "conv": layer}
        if layer.out == INT:
            node["transform"] = {"kind": "int", "bias": [0] * layer.cout}
            return self._emit(node, "int", 0, y)
        if layer.out == FLOAT:
            scale = layer.scale.detach().float()
            bias = layer.bias.detach().float()
            node["transform"] = {"kind": "float", "scale": scale.tolist(), "bias": bias.tolist()}
            value = (y.float() * scale.view(1, -1, 1, 1) + bias.view(1, -1, 1, 1)).double()
            return self._emit(node, "float", 0, value)
        node["transform"], value = threshold_transform(layer.bn, layer.out, y)
        return self._emit(node, "bits", layer.out, value)

    def sum(self, layer, parts):
        total = parts[0]
        for p in parts[1:]:
            total = self._emit({"op": bvm.ADD, "inputs": [total.id, p.id]}, "int", 0, total.value + p.value)
        transform, value = threshold_transform(layer.bn, layer.out, total.value)
        return self._emit({"op": bvm.QUANTIZE, "inputs": [total.id], "transform": transform}, "bits", layer.out, value)

    def up2(self, x):
        return self._emit({"op": bvm.UPSAMPLE, "inputs": [x.id], "factor": 2}, x.kind, x.bits,
                          F.interpolate(x.value, scale_factor=2, mode="nearest"))

    def shuffle(self, x, r):
        return self._emit({"op": bvm.PIXEL_SHUFFLE, "inputs": [x.id], "ratio": r, "inverse": False}, x.kind, x.bits,
                          F.pixel_shuffle(x.value, r))

    def unshuffle(self, x, r):
        return self._emit({"op": bvm.PIXEL_SHUFFLE, "inputs": [x.id], "ratio": r, "inverse": True}, x.kind, x.bits,
                          F.pixel_unshuffle(x.value, r))

    def head(self, layer, x):
        w = layer.weight.detach().float().view(layer.out_channels, layer.in_channels)
        b = layer.bias.detach().float()
        value = F.conv2d(x.value.float(), w.view(*w.shape, 1, 1), b).double()
        return self._emit({"op": bvm.FLOAT_CONV, "inputs": [x.id], "in": layer.in_channels, "out": layer.out_channels,
                           "weights": w.reshape(-1).tolist(), "bias": b.tolist()}, "float", 0, value)

    def sigmoid(self, x):
        return self._emit({"op": bvm.SIGMOID, "inputs": [x.id]}, "float", 0, torch.sigmoid(x.value.float()).double())

    def global_sum(self, x):
        return self._emit({"op": bvm.GLOBAL_POOL, "inputs": [x.id]}, "int", 0, x.value.sum((2, 3), keepdim=True))

    def mark(self, name, x):
        self.marks[name] = x
        return x


def patch_pack(value, layer, pad):
    """Engine PatchPack values: out[tap * C + c] with tap = ky * kw + kx."""
    b, c = value.shape[:2]
    padded = F.pad(value, (layer.pw, layer.pw, layer.ph, layer.ph), value=pad)
    cols = F.unfold(padded, (layer.kh, layer.kw), stride=layer.stride)           # B, C*taps, L (c-major)
    oh = (value.shape[2] + 2 * layer.ph - layer.kh) // layer.stride + 1
    ow = (value.shape[3] + 2 * layer.pw - layer.kw) // layer.stride + 1
    taps = layer.kh * layer.kw
    return cols.view(b, c, taps, -1).transpose(1, 2).reshape(b, taps * c, oh, ow)


def threshold_transform(bn, out_bits, y):
    t, descending = thresholds(bn, out_bits)
    signs = torch.where(descending, -1.0, 1.0).double().view(1, -1, 1, 1, 1)
    passed = (y.unsqueeze(2) * signs >= t.double().view(1, t.shape[0], t.shape[1], 1, 1) * signs).sum(2).double()
    desc = descending.tolist()
    flat = t.reshape(-1).tolist()
    if out_bits == 1:
        return {"kind": "binary", "thresholds": flat, "descending": desc}, passed * 2 - 1
    return {"kind": "multi", "bits": out_bits, "thresholds": flat, "descending": desc}, passed


def trace(net, image):
    """Runs the network through GraphOps on `image` ([B,3,H,W] levels) and returns the ops (nodes, refs, marks)."""
    ops = GraphOps(image)
    with torch.no_grad():
        net.eval()
        net(ops.refs[0], ops)
    return ops


def tensor_digest(ref):
    """SHA-256 of a bit or int tensor's values in (c, y, x) order: int8 for bit tensors, int32 LE for int ones."""
    v = ref.value[0].round().to(torch.int64).numpy()
    data = v.astype(np.int8 if ref.kind == "bits" else "<i4").tobytes()
    return hashlib.sha256(data).hexdigest()


class DeployNet(torch.nn.Module):
    """The exported graph as float32 torch ops, for ONNX: thresholds compare against t - 0.5 so that a backend
    whose convolutions are off by rounding (still far below 0.5 on these integer sums) gives the same levels."""

    def __init__(self, ops):
        super().__init__()
        self.steps = []
        patch_inputs = {}
        for i, node in enumerate(ops.nodes):
            out_id = i + 1
            if node["op"] == bvm.PATCH_PACK:
                patch_inputs[out_id] = node["inputs"][0]
                self.steps.append(None)
                continue
            step = dict(node)
            if node["op"] == bvm.CONV:
                layer = node["conv"]
                src = node["inputs"][0]
                step["source"] = patch_inputs.get(src, src)
                self.register_buffer(f"w{out_id}", layer.sign_weights().float())
                step["weight"] = f"w{out_id}"
                step["layer"] = (layer.ph, layer.pw, layer.stride, layer.groups, padding_value(layer.in_bits))
            if node.get("transform", {}).get("kind") in ("binary", "multi"):
                tr = node["transform"]
                c = len(tr["descending"])
                t = torch.tensor(tr["thresholds"], dtype=torch.float32).view(1, c, -1, 1, 1)
                d = torch.tensor([-1.0 if x else 1.0 for x in tr["descending"]]).view(1, c, 1, 1, 1)
                self.register_buffer(f"t{out_id}", t * d - 0.5)
                self.register_buffer(f"d{out_id}", d)
            if node.get("transform", {}).get("kind") == "float":
                tr = node["transform"]
                self.register_buffer(f"s{out_id}", torch.tensor(tr["scale"]).view(1, -1, 1, 1))
                self.register_buffer(f"b{out_id}", torch.tensor(tr["bias"]).view(1, -1, 1, 1))
            if node["op"] == bvm.FLOAT_CONV:
                self.register_buffer(f"fw{out_id}", torch.tensor(node["weights"]).view(node["out"], node["in"], 1, 1))
                self.register_buffer(f"fb{out_id}", torch.tensor(node["bias"]))
            step.pop("conv", None)
            step.pop("signs", None)
            self.steps.append(step)
        self.outputs = [ops.marks[k].id for k in ("heatmap", "heads", "mask_features")]

    def _levels(self, y, tid, binary):
        passed = (y.unsqueeze(2) * getattr(self, f"d{tid}") >= getattr(self, f"t{tid}")).float().sum(2)
        return passed * 2 - 1 if binary else passed

    def forward(self, image):
        values = {0: image}
        for i, step in enumerate(self.steps):
            tid = i + 1
            if step is None:
                continue
            op = step["op"]
            if op == bvm.CONV:
                ph, pw, stride, groups, pad = step["layer"]
                x = F.pad(values[step["source"]], (pw, pw, ph, ph), value=pad)
                y = F.conv2d(x, getattr(self, step["weight"]), stride=stride, groups=groups)
                kind = step["transform"]["kind"]
                if kind == "int":
                    out = y
                elif kind == "float":
                    out = y * getattr(self, f"s{tid}") + getattr(self, f"b{tid}")
                else:
                    out = self._levels(y, tid, kind == "binary")
            elif op == bvm.ADD:
                out = values[step["inputs"][0]] + values[step["inputs"][1]]
            elif op == bvm.QUANTIZE:
                out = self._levels(values[step["inputs"][0]], tid, step["transform"]["kind"] == "binary")
            elif op == bvm.UPSAMPLE:
                out = F.interpolate(values[step["inputs"][0]], scale_factor=2.0, mode="nearest")
            elif op == bvm.PIXEL_SHUFFLE:
                x = values[step["inputs"][0]]
                out = F.pixel_unshuffle(x, step["ratio"]) if step["inverse"] else F.pixel_shuffle(x, step["ratio"])
            elif op == bvm.FLOAT_CONV:
                out = F.conv2d(values[step["inputs"][0]], getattr(self, f"fw{tid}"), getattr(self, f"fb{tid}"))
            elif op == bvm.SIGMOID:
                out = torch.sigmoid(values[step["inputs"][0]])
            else:
                raise ValueError(op)
            values[tid] = out
        return tuple(values[k] for k in self.outputs)


def export_onnx(ops, path, output_names):
    deploy = DeployNet(ops).eval()
    example = ops.refs[0].value[:1].float()
    torch.onnx.export(deploy, (example,), path, input_names=["image"], output_names=list(output_names),
                      opset_version=13)
    return deploy
