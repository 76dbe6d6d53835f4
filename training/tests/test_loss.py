import unittest

import torch

from bitvision_train.person.loss import criterion, heat_target, instance_centres


def scene(size=32):
    """Two 8x6 people on a 32x32 target grid at stride 2 (-> an 8x8 centre grid)."""
    t = torch.zeros(2, size, size)
    t[0, 4:12, 4:10] = 1
    t[1, 18:26, 20:26] = 1
    return t


class LossTest(unittest.TestCase):
    def test_centres_are_the_cells_of_the_mask_centroids(self):
        centres = instance_centres(scene(), 2)
        self.assertEqual([(c[0], c[1]) for c in centres], [(2, 1), (5, 5)])
        target = heat_target(centres, 8, 8)
        self.assertEqual(float(target[2, 1]), 1.0)
        self.assertEqual(int((target == 1).sum()), 2)

    def test_a_perfect_heatmap_costs_less_than_a_flat_one(self):
        t = scene()
        heads = torch.zeros(1, 4 + 4, 8, 8)
        mf = torch.zeros(1, 4, 16, 16)
        target = heat_target(instance_centres(t, 2), 8, 8)
        good = criterion(target.clamp(0.01, 0.99)[None, None], heads, mf, [t])[1]["heat"]
        flat = criterion(torch.full((1, 1, 8, 8), 0.5), heads, mf, [t])[1]["heat"]
        self.assertLess(good, flat / 5)

    def test_mask_loss_reaches_kernels_and_the_spatial_prior(self):
        t = scene()
        heat = heat_target(instance_centres(t, 2), 8, 8).clamp(0.01, 0.99)[None, None]
        heads = torch.zeros(1, 8, 8, 8, requires_grad=True)
        mf = torch.rand(1, 4, 16, 16)
        loss, parts = criterion(heat, heads, mf, [t])
        loss.backward()
        grad = heads.grad[0, :, 2, 1].abs()
        self.assertTrue(bool((grad[1:5] > 0).all()), "kernel")
        self.assertGreater(float(grad[6] + grad[7]), 0, "spatial prior weights")
        self.assertGreater(float(grad[0]), 0, "objectness")


if __name__ == "__main__":
    unittest.main()
