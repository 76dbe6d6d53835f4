"""Export a trained face embedder (FaceNet) to the engine's format."""
import torch

from ..common import bvm
from ..common.graph import GraphOps
from .model import FACE_SIZE


def write_face_model(net, path, name, version, extra_metadata=None):
    """Export a FaceNet: input 3x112x112 RGB (the aligned crop), output "embedding" float32 [128, 1, 1],
    to be L2-normalised by the caller."""
    image = torch.zeros(1, 3, FACE_SIZE, FACE_SIZE)
    ops = GraphOps(image)
    with torch.no_grad():
        net.eval()
        net(ops.refs[0], ops)
    meta = {"task": "face-embedding", "input.order": "rgb", "input.align": "sface-5-point-112",
            "embedding.normalise": "l2"}
    meta.update(extra_metadata or {})
    data = bvm.model_bytes(name, version, meta, 8, (3, FACE_SIZE, FACE_SIZE), ops.nodes,
                           [(ops.marks["embedding"].id, "embedding")])
    with open(path, "wb") as f:
        f.write(data)
    return data, ops
