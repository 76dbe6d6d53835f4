"""Reference values of the exported face detector for the Java exactness test (engine FaceDetectorExactnessTest):
expected.txt in the person model's fixture format (every integer tensor's digest, the float outputs), plus
faces.txt: the faces this side's decoder (face_detect.decode) finds, one line per face:
`face CASE SCORE X Y W H LX0 LY0 ... LX4 LY4` in the pixels of the 240x320 input.

    /usr/bin/python3 -m bitvision_train.face.detect_fixtures --checkpoint C.pt --faces data/faces/faces.jsonl.gz --out DIR
"""
import argparse
import os

import numpy as np
import torch

from ..common import graph
from ..common.reference import as_text, write_gz
from .data import Sources
from .detect import FaceDetNet, decode
from .detect_data import load_images, nearest_resize
from .detect_train import detector_metadata, write_detector


def fixture_images(images, count, seed):
    sources = Sources()
    held = [i for i in images if i["held_out"] and i["faces"] and i["entry"]["kind"] == "video_frame"]
    picked = [held[k] for k in np.linspace(0, len(held) - 1, count).astype(int)]
    out = [(f"image-{k}", nearest_resize(sources.rgb(item["entry"]))) for k, item in enumerate(picked)]
    blocks = np.random.default_rng(seed).integers(0, 256, (30, 40, 3), dtype=np.uint8)
    out.append(("noise", np.kron(blocks, np.ones((8, 8, 1), dtype=np.uint8))))
    return out


def write_fixtures(net, images, out_dir, score_threshold, recipe, count=2, seed=5, version="1"):
    os.makedirs(out_dir, exist_ok=True)
    write_detector(net, os.path.join(out_dir, "face-detector.bvm"), "face-detector", version,
                   detector_metadata(score_threshold, recipe))
    cases, face_lines = [], []
    for name, rgb in fixture_images(images, count, seed):
        image = torch.from_numpy(rgb.transpose(2, 0, 1).astype(np.float64))[None]
        ops = graph.GraphOps(image)
        with torch.no_grad():
            net.eval()
            net(ops.refs[0], ops)
        write_gz(os.path.join(out_dir, f"{name}.rgb.gz"), np.ascontiguousarray(rgb).tobytes())
        floats = {}
        for key in ("heatmap", "heads"):
            path = f"{name}.{key}.f32.gz"
            write_gz(os.path.join(out_dir, path), ops.marks[key].value[0].float().numpy().astype("<f4").tobytes())
            floats[key] = path
        cases.append({"name": name, "frame": [240, 320], "input": f"{name}.rgb.gz", "floats": floats,
                      "tensors": [{"id": r.id, "kind": r.kind, "digest": graph.tensor_digest(r)}
                                  for r in ops.refs[1:] if r.kind != "float"], "instances": []})
        heat = ops.marks["heatmap"].value[0, 0].float()
        heads = ops.marks["heads"].value[0].float()
        for f in decode(heat, heads, score_threshold):
            values = [f["score"]] + f["box"] + [v for point in f["landmarks"] for v in point]
            face_lines.append(f"face {name} " + " ".join(f"{v:.6f}" for v in values))
    with open(os.path.join(out_dir, "expected.txt"), "w") as f:
        f.write(as_text(cases, "bitvision face detector reference values: python3 -m bitvision_train.face.detect_fixtures"))
    with open(os.path.join(out_dir, "faces.txt"), "w") as f:
        f.write("# faces found by training/bitvision_train/face/detect.decode on each case\n")
        f.write("\n".join(face_lines) + ("\n" if face_lines else ""))
    return cases, face_lines


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--faces", required=True)
    p.add_argument("--score-threshold", type=float, default=0.3)
    p.add_argument("--recipe", default="")
    p.add_argument("--version", default="1", help="the model's version in the file")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    net = FaceDetNet()
    net.load_state_dict(torch.load(args.checkpoint))
    cases, faces = write_fixtures(net.eval(), load_images(args.faces), args.out, args.score_threshold, args.recipe,
                                 version=args.version)
    for c in cases:
        print(f"{c['name']}: {len(c['tensors'])} tensors")
    print(f"{len(faces)} faces")


if __name__ == "__main__":
    main()
