"""Reference values of an exported model for the cross-boundary test (engine PersonModelExactnessTest).

For each fixture image: the 288x384 RGB input (raw bytes, gzip), the SHA-256 of every bit and int tensor the
exported graph computes (the deploy form: exact integers), the float outputs, and the instances the Python
decoder gets at the camera's frame size.

    /usr/bin/python3 -m bitvision_train.person.fixtures --checkpoint C.pt --video V --frames 650,720 --out DIR
"""
import argparse
import os

import numpy as np
import torch

from ..common import rle
from ..common.graph import tensor_digest, trace
from ..common.reference import as_text, write_gz
from . import data
from .decode import decode
from .model import PersonNet


def fixture_images(video, frames, seed):
    images = []
    for f in frames:
        rgb = data.read_frames(video, f, f + 1)[0]
        images.append((f"vtest-{f}", rgb.shape[0], rgb.shape[1], data.resize_nearest(rgb)))
    rng = np.random.default_rng(seed)
    images.append(("noise", 576, 768, rng.integers(0, 256, (288, 384, 3), dtype=np.uint8)))
    return images


def write_fixtures(net, video, frames, out_dir, seed=11, score_threshold=0.3):
    os.makedirs(out_dir, exist_ok=True)
    cases = []
    for name, frame_h, frame_w, small in fixture_images(video, frames, seed):
        image = torch.from_numpy(small.transpose(2, 0, 1).astype(np.float64))[None]
        ops = trace(net, image)
        write_gz(os.path.join(out_dir, f"{name}.rgb.gz"), small.tobytes())
        digests = [{"id": r.id, "kind": r.kind, "digest": tensor_digest(r)} for r in ops.refs[1:] if r.kind != "float"]
        floats = {}
        for key in ("heatmap", "heads"):
            path = f"{name}.{key}.f32.gz"
            write_gz(os.path.join(out_dir, path), ops.marks[key].value[0].float().numpy().astype("<f4").tobytes())
            floats[key] = path
        m = ops.marks
        found = decode(m["heatmap"].value, m["heads"].value, m["mask_features"].value, frame_h, frame_w,
                       score_threshold=score_threshold)
        cases.append({
            "name": name, "input": f"{name}.rgb.gz", "frame": [frame_h, frame_w], "tensors": digests,
            "floats": floats,
            "instances": [{"score": d["score"], "bbox": d["bbox"], "area": d["area"], "rle": rle.encode(d["mask"])}
                          for d in found],
        })
    with open(os.path.join(out_dir, "expected.txt"), "w") as f:
        f.write(as_text(cases, "bitvision person model reference values: python3 -m bitvision_train.person.fixtures"
                          " (training/README.md)"))
    return cases


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--video", required=True)
    p.add_argument("--frames", default="650,720")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    net = PersonNet()
    net.load_state_dict(torch.load(args.checkpoint))
    cases = write_fixtures(net.eval(), args.video, [int(f) for f in args.frames.split(",")], args.out)
    for c in cases:
        print(f"{c['name']}: {len(c['tensors'])} tensors, {len(c['instances'])} instances")


if __name__ == "__main__":
    main()
