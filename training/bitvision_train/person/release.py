"""Ship a trained checkpoint: models/NAME.bvm (engine), models/NAME.onnx (float simulation), the checkpoint under
training/checkpoints/, and the reference values the Java exactness test reads.

    /usr/bin/python3 -m bitvision_train.person.release --checkpoint C.pt --score-threshold T --recipe TEXT
"""
import argparse
import os
import shutil

import torch

from ..common import paths
from . import export, fixtures
from .model import PersonNet

ROOT = paths.REPO
VIDEO = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--name", default="person-v1")
    p.add_argument("--score-threshold", required=True, help="chosen on training frames, never on held-out ones")
    p.add_argument("--recipe", required=True)
    p.add_argument("--fixture-frames", default="650,720")
    args = p.parse_args(argv)
    net = PersonNet()
    net.load_state_dict(torch.load(args.checkpoint))
    net.eval()
    models = os.path.join(ROOT, "models")
    extra = {"score_threshold": args.score_threshold, "train.recipe": args.recipe}
    export.write_model(net, os.path.join(models, args.name + ".bvm"), "person", "1", extra)
    ops = export.trace(net, torch.zeros(1, 3, 288, 384))
    export.export_onnx(ops, os.path.join(models, args.name + ".onnx"))
    os.makedirs(os.path.join(ROOT, "training", "checkpoints"), exist_ok=True)
    kept = os.path.join(ROOT, "training", "checkpoints", args.name + ".pt")
    if not os.path.exists(kept) or not os.path.samefile(args.checkpoint, kept):
        shutil.copyfile(args.checkpoint, kept)
    out = os.path.join(ROOT, "engine", "src", "test", "resources", args.name)
    cases = fixtures.write_fixtures(net, VIDEO, [int(f) for f in args.fixture_frames.split(",")], out,
                                    score_threshold=float(args.score_threshold))
    for c in cases:
        print(f"{c['name']}: {len(c['tensors'])} tensors, {len(c['instances'])} instances")


if __name__ == "__main__":
    main()
