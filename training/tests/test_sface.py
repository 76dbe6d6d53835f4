import math
import unittest

import torch

from bitvision_train.face.sface import SFaceLoss, sface_from_cosine


def cosine_grad(thetas, label):
    cos = torch.cos(torch.tensor([thetas], dtype=torch.float64)).requires_grad_(True)
    loss = sface_from_cosine(cos, torch.tensor([label]))
    loss.backward()
    return loss.item(), cos.grad[0]


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


class SFaceTest(unittest.TestCase):
    def test_value_is_the_papers_formula(self):
        thetas = [0.9, 1.1, 1.4]
        loss, _ = cosine_grad(thetas, 0)
        expected = (-sigmoid(80 * (0.9 - 0.8)) * 64 * math.cos(0.9)
                    + sigmoid(-80 * (1.1 - 1.23)) * 64 * math.cos(1.1)
                    + sigmoid(-80 * (1.4 - 1.23)) * 64 * math.cos(1.4))
        self.assertAlmostEqual(loss, expected, places=9)

    def test_sigmoid_factors_carry_no_gradient(self):
        # d L / d cos_y is exactly -s * r_intra and d L / d cos_j exactly s * r_inter: nothing flows through r.
        _, grad = cosine_grad([0.85, 1.2], 0)
        self.assertAlmostEqual(grad[0].item(), -64 * sigmoid(80 * (0.85 - 0.8)), places=9)
        self.assertAlmostEqual(grad[1].item(), 64 * sigmoid(-80 * (1.2 - 1.23)), places=9)

    def test_intra_class_gradient_vanishes_well_below_a_and_is_full_above(self):
        _, near = cosine_grad([0.3, 1.5], 0)
        _, far = cosine_grad([1.3, 1.5], 0)
        self.assertLess(abs(near[0].item()), 1e-12)
        self.assertAlmostEqual(far[0].item(), -64.0, places=6)

    def test_inter_class_gradient_vanishes_well_above_b_and_is_full_below(self):
        _, apart = cosine_grad([0.5, 1.5], 0)
        _, close = cosine_grad([0.5, 0.9], 0)
        self.assertLess(abs(apart[1].item()), 1e-7)
        self.assertAlmostEqual(close[1].item(), 64.0, places=6)

    def test_training_pulls_samples_towards_their_class_weight(self):
        torch.manual_seed(0)
        centres = torch.randn(4, 16)
        labels = torch.arange(4).repeat_interleave(8)
        samples = centres[labels] + 0.8 * torch.randn(32, 16)
        head = SFaceLoss(16, 4)
        embed = torch.nn.Linear(16, 16)
        opt = torch.optim.SGD(list(head.parameters()) + list(embed.parameters()), lr=0.01)

        def mean_intra_angle():
            with torch.no_grad():
                cos = torch.nn.functional.normalize(embed(samples)) @ torch.nn.functional.normalize(head.weight).t()
                return torch.acos(cos.gather(1, labels[:, None]).clamp(-1, 1)).mean().item()

        before = mean_intra_angle()
        for _ in range(200):
            opt.zero_grad()
            head(embed(samples), labels).backward()
            opt.step()
        self.assertLess(mean_intra_angle(), before - 0.3)


if __name__ == "__main__":
    unittest.main()
