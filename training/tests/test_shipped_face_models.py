"""The shipped face models are what the committed checkpoints export to (the calibration's metadata and the
release's choices taken from the files), and the detector fixture of the Java exactness test is what PyTorch
computes on the shipped detector now."""
import os
import tempfile
import unittest

import torch

from bitvision_train.common import provenance
from bitvision_train.face import export
from bitvision_train.face.detect import FaceDetNet
from bitvision_train.face.detect_fixtures import write_fixtures
from bitvision_train.face.detect_data import load_images
from bitvision_train.face.detect_train import detector_metadata, write_detector
from bitvision_train.face.model import FaceNet
from tests.test_shipped_model import shipped_metadata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECKPOINTS = os.path.join(ROOT, "training", "checkpoints")
MODELS = os.path.join(ROOT, "models")
FIXTURES = os.path.join(ROOT, "engine", "src", "test", "resources", "face-detector-v2")
FACES = os.path.join(ROOT, "training", "data", "faces", "faces.jsonl.gz")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def detector():
    net = FaceDetNet()
    net.load_state_dict(torch.load(os.path.join(CHECKPOINTS, "face-detector-v2.pt")))
    return net.eval()


class ShippedFaceModelsTest(unittest.TestCase):
    def test_checkpoints_were_made_with_this_torch(self):
        for checkpoint in ("face-detector-v2.pt", "face-embedder-v1.pt"):
            self.assertIsNone(provenance.mismatch(CHECKPOINTS, checkpoint))

    def test_detector_checkpoint_exports_to_the_shipped_file(self):
        shipped = read(os.path.join(MODELS, "face-detector-v2.bvm"))
        meta = shipped_metadata(shipped)
        self.assertEqual(meta["decoder"], "centerface-v1")
        with tempfile.TemporaryDirectory() as tmp:
            exported, _ = write_detector(detector(), os.path.join(tmp, "d.bvm"), "face-detector", "2",
                                         detector_metadata(float(meta["score_threshold"]), meta["train.recipe"]))
        self.assertEqual(exported, shipped)

    def test_embedder_checkpoint_exports_to_the_shipped_file(self):
        shipped = read(os.path.join(MODELS, "face-embedder-v1.bvm"))
        meta = shipped_metadata(shipped)
        self.assertGreater(float(meta["match.threshold"]), -1.0)
        net = FaceNet()
        net.load_state_dict(torch.load(os.path.join(CHECKPOINTS, "face-embedder-v1.pt")))
        extra = {k: v for k, v in meta.items() if k.startswith("match.") or k == "train.recipe"}
        with tempfile.TemporaryDirectory() as tmp:
            exported, _ = export.write_face_model(net.eval(), os.path.join(tmp, "e.bvm"), "face-embedder", "1", extra)
        self.assertEqual(exported, shipped)

    def assert_same_faces(self, fresh_path, committed_path):
        with open(fresh_path) as f:
            fresh = f.read().splitlines()
        with open(committed_path) as f:
            committed = f.read().splitlines()
        self.assertEqual(len(fresh), len(committed))
        for got, want in zip(fresh, committed):
            got_words, want_words = got.split(), want.split()
            self.assertEqual(len(got_words), len(want_words), got)
            for g, w in zip(got_words, want_words):
                try:
                    self.assertAlmostEqual(float(g), float(w), delta=1e-4, msg=got)
                except ValueError:
                    self.assertEqual(g, w, got)

    def test_detector_fixture_is_what_pytorch_computes(self):
        with open(os.path.join(FIXTURES, "expected.txt")) as f:
            committed = [line for line in f.read().splitlines() if line.startswith(("case", "tensor"))]
        self.assertGreater(len(committed), 100)
        meta = shipped_metadata(read(os.path.join(MODELS, "face-detector-v2.bvm")))
        with tempfile.TemporaryDirectory() as tmp:
            write_fixtures(detector(), load_images(FACES), tmp, float(meta["score_threshold"]), meta["train.recipe"],
                           version="2")
            with open(os.path.join(tmp, "expected.txt")) as f:
                fresh = [line for line in f.read().splitlines() if line.startswith(("case", "tensor"))]
            self.assertEqual(read(os.path.join(tmp, "face-detector.bvm")), read(os.path.join(FIXTURES, "face-detector.bvm")))
            # The decoded boxes and landmarks are floats summed in an order the CPU's kernels choose: equal to 1e-4 px
            # (the integer tensors above and below are compared exactly).
            self.assert_same_faces(os.path.join(tmp, "faces.txt"), os.path.join(FIXTURES, "faces.txt"))
        self.assertEqual(fresh, committed)


if __name__ == "__main__":
    unittest.main()
