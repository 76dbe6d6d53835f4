import os
import tempfile
import unittest

import numpy as np
import onnx
import torch
import torch.nn.functional as F

from bitvision_train.face import onnx_fixtures as face_onnx  # noqa: N813


def declared_shape(value_info):
    return [d.dim_value for d in value_info.type.tensor_type.shape.dim]


class FaceOnnxTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        face_onnx.write_fixtures(cls.dir.name)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def load(self, name):
        model = onnx.load(os.path.join(self.dir.name, name))
        onnx.checker.check_model(model)
        return model

    def test_model_declares_the_sface_layout(self):
        model = self.load("model.onnx")
        self.assertEqual([i.name for i in model.graph.input], ["input"])
        self.assertEqual(declared_shape(model.graph.input[0]), [1, 3, 112, 112])
        self.assertEqual(len(model.graph.output), 1)
        self.assertEqual(declared_shape(model.graph.output[0]), [1, 128])
        self.assertEqual(model.opset_import[0].version, 13)
        self.assertLess(os.path.getsize(os.path.join(self.dir.name, "model.onnx")), 300_000)

    def test_wrong_models_have_the_wrong_shapes(self):
        self.assertEqual(declared_shape(self.load("wrong-input.onnx").graph.input[0]), [1, 3, 96, 96])
        self.assertEqual(declared_shape(self.load("wrong-output.onnx").graph.output[0]), [1, 8, 1, 1])

    def test_expected_embeddings_are_unit_vectors(self):
        with open(os.path.join(self.dir.name, "expected.txt")) as f:
            boxes = [line.split() for line in f if line.startswith("box ")]
        self.assertEqual([b[1] for b in boxes], list(face_onnx.BOXES))
        for b in boxes:
            e = np.array(b[6:], dtype=np.float64)
            self.assertEqual(len(e), 128)
            self.assertAlmostEqual(float(e @ e), 1.0, places=5)

    def test_resize_hand_computed(self):
        # Frame 3 high, 4 wide, one channel value per pixel repeated in R, G, B; the box covers the 2x2 block
        # [[0, 10], [20, 30]] at x 1..2, y 1..2. Upsampled to 4x4 the positions are src = max(0, (d + 0.5) / 2 - 0.5)
        # = 0, 0.25, 0.75, 1.25 (upper index clamped to 1), so weights (0, 0.25, 0.75, 1): out = 20 f(i) + 10 f(j).
        frame = np.zeros((3, 4, 3), dtype=np.uint8)
        frame[1:3, 1:3] = np.array([[0, 10], [20, 30]], dtype=np.uint8)[:, :, None]
        out = face_onnx.crop_resize(frame, (1.0, 1.0, 2.0, 2.0), size=4)
        f = np.array([0, 0.25, 0.75, 1.0])
        expected = 20 * f[:, None] + 10 * f[None, :]
        for c in range(3):
            np.testing.assert_allclose(out[c], expected, atol=1e-6)

    def test_box_rounds_outwards_and_clips_to_the_frame(self):
        self.assertEqual(face_onnx.crop_region(160, 200, (50.25, 30.75, 90.5, 100.25)), (50, 30, 141, 131))
        self.assertEqual(face_onnx.crop_region(160, 200, (-20.5, 100.0, 80.0, 90.0)), (0, 100, 60, 160))
        self.assertEqual(face_onnx.crop_region(160, 200, (300.0, 300.0, 5.0, 5.0)), (199, 159, 200, 160))

    def test_resize_matches_torch_interpolate(self):
        rng = np.random.default_rng(3)
        frame = rng.integers(0, 256, (150, 170, 3), dtype=np.uint8)
        for box in [(3.0, 4.0, 37.0, 29.0), (10.0, 2.0, 300.0, 300.0), (5.0, 7.0, 131.0, 140.0)]:
            x0, y0, x1, y1 = face_onnx.crop_region(150, 170, box)
            crop = torch.from_numpy(frame[y0:y1, x0:x1].transpose(2, 0, 1).astype(np.float32))[None]
            reference = F.interpolate(crop, size=(112, 112), mode="bilinear", align_corners=False)[0].numpy()
            # torch computes the sample positions in float32 (crop_resize in float64): ~1e-5 of a pixel apart.
            np.testing.assert_allclose(face_onnx.crop_resize(frame, box), reference, atol=5e-3)


if __name__ == "__main__":
    unittest.main()
