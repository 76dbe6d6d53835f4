import math
import unittest

import torch

from bitvision_train.common.graph import GraphOps
from bitvision_train.face.detect import (INPUT_HEIGHT, INPUT_WIDTH, STRIDE, FaceDetNet, cell_targets, criterion,
                                         decode, flip_landmarks, targets)

FACE = {"box": [100.0, 60.0, 48.0, 56.0],
        "landmarks": [[112.0, 80.0], [136.0, 81.0], [124.0, 94.0], [114.0, 104.0], [134.0, 105.0]]}


class FaceDetectTest(unittest.TestCase):
    def test_flip_mirrors_and_keeps_the_image_left_eye_first(self):
        flipped = flip_landmarks(FACE["landmarks"], INPUT_WIDTH)
        self.assertLess(flipped[0][0], flipped[1][0])
        self.assertLess(flipped[3][0], flipped[4][0])
        self.assertEqual(flipped[2], [INPUT_WIDTH - 124.0, 94.0])
        self.assertEqual(flip_landmarks(flipped, INPUT_WIDTH), FACE["landmarks"])

    def test_the_decoder_reads_back_what_the_targets_teach(self):
        h, w = INPUT_HEIGHT // STRIDE, INPUT_WIDTH // STRIDE
        heat_t, ignore, samples = targets([FACE], [], h, w)
        cy, cx = int((60 + 28) // STRIDE), int((100 + 24) // STRIDE)
        self.assertEqual(float(heat_t[cy, cx]), 1.0)
        self.assertEqual(float(heat_t.max()), 1.0)
        heads = torch.zeros(14, h, w)
        heads[:, cy, cx] = torch.tensor(cell_targets(FACE, cy, cx))
        heat = heat_t * 0.9
        faces = decode(heat, heads, 0.5, frame_w=2 * INPUT_WIDTH, frame_h=2 * INPUT_HEIGHT)
        self.assertEqual(len(faces), 1)
        for got, want in zip(faces[0]["box"], FACE["box"]):
            self.assertAlmostEqual(got, 2 * want, places=3)
        for got, want in zip(faces[0]["landmarks"], FACE["landmarks"]):
            self.assertAlmostEqual(got[0], 2 * want[0], places=3)
            self.assertAlmostEqual(got[1], 2 * want[1], places=3)

    def test_small_faces_and_ignore_boxes_get_no_heat_loss(self):
        h, w = INPUT_HEIGHT // STRIDE, INPUT_WIDTH // STRIDE
        tiny = {"box": [200.0, 100.0, 8.0, 9.0], "landmarks": None}
        heat_t, ignore, samples = targets([FACE, tiny], [[10.0, 10.0, 30.0, 30.0]], h, w)
        self.assertEqual(float(ignore[100 // STRIDE, 200 // STRIDE]), 1.0)
        self.assertEqual(float(ignore[2, 2]), 1.0)
        self.assertLess(float(heat_t[100 // STRIDE, 200 // STRIDE]), 1e-6)  # no peak of its own
        self.assertTrue(all(s[3] == 1.0 for s in samples))  # only the big face is taught, with landmarks

    def test_a_perfect_prediction_costs_less_than_a_flat_one(self):
        h, w = INPUT_HEIGHT // STRIDE, INPUT_WIDTH // STRIDE
        t = targets([FACE], [], h, w)
        heads = torch.zeros(1, 14, h, w)
        for cy, cx, values, _, _ in t[2]:
            heads[0, :, cy, cx] = torch.tensor(values)
        good, _ = criterion(t[0].clamp(1e-4, 1 - 1e-4)[None, None], heads, [t])
        flat, _ = criterion(torch.full((1, 1, h, w), 0.1), torch.zeros(1, 14, h, w), [t])
        self.assertLess(float(good), 0.5 * float(flat))

    def test_deploy_form_matches_training_form(self):
        torch.manual_seed(7)
        net = FaceDetNet()
        for m in net.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-20, 20)
                m.running_var.uniform_(50, 400)
                m.bias.data.uniform_(-1, 2)
        net.eval()
        image = torch.randint(0, 256, (1, 3, INPUT_HEIGHT, INPUT_WIDTH)).float()
        ops = GraphOps(image)
        with torch.no_grad():
            net(ops.refs[0], ops)
            heat, heads = net(image)
        self.assertLess((heat - ops.marks["heatmap"].value.float()).abs().max().item(), 1e-4)
        self.assertLess((heads - ops.marks["heads"].value.float()).abs().max().item(),
                        1e-3 * max(1.0, heads.abs().max().item()))
        self.assertTrue(math.isfinite(heads.abs().max().item()))


if __name__ == "__main__":
    unittest.main()
