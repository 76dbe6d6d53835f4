import unittest

import torch

from bitvision_train.loss import criterion


def targets_and_logits(perm, n=6, k=3, size=16):
    torch.manual_seed(0)
    t = torch.zeros(k, size, size)
    for i in range(k):
        t[i, 4 * i:4 * i + 4, 2:10] = 1
    logits = torch.full((1, n, size, size), -10.0)
    for i, slot in enumerate(perm):
        logits[0, slot] = t[i] * 20 - 10
    cls = torch.full((1, n), -4.0)
    cls[0, list(perm)] = 4.0
    return cls, torch.zeros(1, n), logits, [t]


class LossTest(unittest.TestCase):
    def test_matching_finds_the_slots_that_predict_each_instance(self):
        cls, obj, logits, targets = targets_and_logits([4, 0, 2])
        total, parts = criterion(cls, obj, logits, targets)
        self.assertLess(parts["dice"], 0.01)
        self.assertLess(parts["mask"], 0.01)
        self.assertLess(parts["class"], 0.05)

    def test_wrong_masks_cost_more_than_right_ones(self):
        cls, obj, good, targets = targets_and_logits([4, 0, 2])
        bad = good.roll(shifts=5, dims=2)
        self.assertGreater(criterion(cls, obj, bad, targets)[0], criterion(cls, obj, good, targets)[0] + 1)

    def test_objectness_learns_the_iou_of_its_match(self):
        cls, obj, logits, targets = targets_and_logits([1, 3, 5])
        obj = obj.clone().requires_grad_(True)
        criterion(cls, obj, logits, targets)[0].backward()
        # IoU is 1 for perfect masks: the objectness logit of matched slots must be pushed up, the others untouched.
        self.assertTrue(all(obj.grad[0, s] < 0 for s in (1, 3, 5)))
        self.assertTrue(all(obj.grad[0, s] == 0 for s in (0, 2, 4)))


if __name__ == "__main__":
    unittest.main()
