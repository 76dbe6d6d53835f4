"""Reference values of the exported face embedder for the Java exactness test (engine FaceModelExactnessTest):
the same format as fixtures.py writes for the person model, with the aligned crops (rounded to 8 bits, as the
engine takes them) as inputs and the float "embedding" output.

    /usr/bin/python3 -m bitvision_train.face.fixtures --checkpoint C.pt --faces data/faces/faces.jsonl.gz --out DIR
"""
import argparse
import os

import numpy as np
import torch

from ..common import graph
from ..common.reference import as_text, write_gz
from . import align
from . import export
from .data import load_faces
from .model import FaceNet


def write_face_fixtures(net, faces, out_dir, count=2, seed=3):
    os.makedirs(out_dir, exist_ok=True)
    _, ops = export.write_face_model(net, os.path.join(out_dir, "face.bvm"), "face-embedder", "test")
    inputs = []
    for i, face in enumerate([f for f in faces if f["held_out"]][:count]):
        crop = align.align(face["rgb"](), np.array(face["landmarks5"], dtype=np.float64))
        inputs.append((f"face-{i}", np.clip(np.round(crop), 0, 255).astype(np.uint8).transpose(1, 2, 0)))
    inputs.append(("noise", np.random.default_rng(seed).integers(0, 256, (112, 112, 3), dtype=np.uint8)))
    cases = []
    for name, rgb in inputs:
        image = torch.from_numpy(rgb.transpose(2, 0, 1).astype(np.float64))[None]
        ops = graph.GraphOps(image)
        with torch.no_grad():
            net.eval()
            net(ops.refs[0], ops)
        write_gz(os.path.join(out_dir, f"{name}.rgb.gz"), rgb.tobytes())
        path = f"{name}.embedding.f32.gz"
        write_gz(os.path.join(out_dir, path), ops.marks["embedding"].value[0].float().numpy().astype("<f4").tobytes())
        cases.append({"name": name, "frame": [112, 112], "input": f"{name}.rgb.gz", "floats": {"embedding": path},
                      "tensors": [{"id": r.id, "kind": r.kind, "digest": graph.tensor_digest(r)}
                                  for r in ops.refs[1:] if r.kind != "float"],
                      "instances": []})
    with open(os.path.join(out_dir, "expected.txt"), "w") as f:
        f.write(as_text(cases, "bitvision face embedder reference values: python3 -m bitvision_train.face.fixtures"))
    return cases


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--faces", required=True)
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    net = FaceNet()
    net.load_state_dict(torch.load(args.checkpoint))
    for c in write_face_fixtures(net.eval(), load_faces(args.faces), args.out):
        print(f"{c['name']}: {len(c['tensors'])} tensors")


if __name__ == "__main__":
    main()
