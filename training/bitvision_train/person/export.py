"""Export a trained PersonNet to the engine's format (.bvm with the decoder's metadata) and to ONNX."""
import torch

from ..common import bvm, graph
from ..common.graph import trace
from .model import INPUT_HEIGHT, INPUT_WIDTH, SPATIAL_SCALE

OUTPUTS = ("heatmap", "heads", "mask_features")


def model_metadata(net, ops, extra):
    m = ops.marks
    meta = {
        "task": "instance-segmentation",
        "decoder": "centerinst-v1",
        "classes": "person",
        "input.order": "rgb",
        "input.resize": "nearest",
        "score_threshold": "0.3",
        "mask_threshold": "0.45",
        "max_instances": "30",
        "peak_threshold": "0.1",
        "spatial_scale": str(int(SPATIAL_SCALE)),
        "mask_component": "nearest",
        "skip.plain_tensors": ",".join(str(m[k].id) for k in ("e0", "e1", "e2")),
        "skip.map_tensor": str(m["skip"].id),
    }
    meta.update(extra)
    return meta


def write_model(net, path, name, version, extra_metadata=None):
    image = torch.zeros(1, 3, INPUT_HEIGHT, INPUT_WIDTH)
    ops = trace(net, image)
    outputs = [(ops.marks[k].id, k) for k in OUTPUTS]
    data = bvm.model_bytes(name, version, model_metadata(net, ops, extra_metadata or {}), 8,
                           (3, image.shape[2], image.shape[3]), ops.nodes, outputs)
    with open(path, "wb") as f:
        f.write(data)
    return data


def export_onnx(ops, path):
    return graph.export_onnx(ops, path, OUTPUTS)
