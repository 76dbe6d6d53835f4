"""The shipped model is what the committed checkpoint exports to, and the Java test's reference values are what
PyTorch computes on it now (so the fixtures cannot go stale or be edited by hand)."""
import os
import tempfile
import unittest

import torch

from bitvision_train.common import provenance
from bitvision_train.person import export, fixtures
from bitvision_train.person.model import PersonNet

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECKPOINT = os.path.join(ROOT, "training", "checkpoints", "person-v1.pt")
MODEL = os.path.join(ROOT, "models", "person-v1.bvm")
FIXTURES = os.path.join(ROOT, "engine", "src", "test", "resources", "person-v1")
VIDEO = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"


def shipped_net():
    net = PersonNet()
    net.load_state_dict(torch.load(CHECKPOINT))
    return net.eval()



class ShippedModelTest(unittest.TestCase):
    def test_checkpoint_was_made_with_this_torch(self):
        self.assertIsNone(provenance.mismatch(os.path.dirname(CHECKPOINT), "person-v1.pt"))

    def test_checkpoint_exports_to_the_shipped_model_file(self):
        net = shipped_net()
        with open(MODEL, "rb") as f:
            shipped = f.read()
        with tempfile.TemporaryDirectory() as tmp:
            # Release-time choices (score threshold, recipe text) are part of the file: take them from it.
            meta = shipped_metadata(shipped)
            extra = {k: meta[k] for k in ("score_threshold", "train.recipe")}
            exported = export.write_model(net, os.path.join(tmp, "m.bvm"), "person", "1", extra)
        self.assertEqual(exported, shipped)

    def test_reference_values_are_what_pytorch_computes(self):
        with open(os.path.join(FIXTURES, "expected.txt")) as f:
            committed = [line for line in f.read().splitlines() if line.startswith(("case", "tensor"))]
        self.assertGreater(len(committed), 100)
        frames = sorted({int(line.split()[1].split("-")[1]) for line in committed if line.startswith("case vtest-")})
        with tempfile.TemporaryDirectory() as tmp:
            fixtures.write_fixtures(shipped_net(), VIDEO, frames, tmp)
            with open(os.path.join(tmp, "expected.txt")) as f:
                fresh = [line for line in f.read().splitlines() if line.startswith(("case", "tensor"))]
        self.assertEqual(fresh, committed)


def shipped_metadata(data):
    """The metadata of a version-2 model file."""
    import struct
    pos = 12

    def string():
        nonlocal pos
        (n,) = struct.unpack(">H", data[pos:pos + 2])
        pos += 2
        s = data[pos:pos + n].decode("utf-8")
        pos += n
        return s

    string()
    string()
    (count,) = struct.unpack(">H", data[pos:pos + 2])
    pos += 2
    return dict((string(), string()) for _ in range(count))


if __name__ == "__main__":
    unittest.main()
