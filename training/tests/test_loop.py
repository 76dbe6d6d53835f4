import json
import os
import tempfile
import unittest

import torch

from bitvision_train.common import provenance
from bitvision_train.common.loop import fit, seed_everything


class Line(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.nn.Linear(3, 1)

    def forward(self, x):
        return self.w(x)


def train_once(out_dir, epochs=4):
    seed_everything(5)
    net = Line()
    x = torch.randn(64, 3)
    y = x @ torch.tensor([[1.5], [-2.0], [0.5]]) + 0.25

    def batches(epoch):
        order = torch.randperm(64)
        for k in range(8):
            yield order[k * 8:(k + 1) * 8]

    def step(idx):
        loss = torch.nn.functional.mse_loss(net(x[idx]), y[idx])
        return loss, {"mse": float(loss)}

    with open(os.devnull, "w") as quiet:
        history = fit(net, net.parameters(), batches, step, epochs=epochs, steps_per_epoch=8, lr=0.1, batch_size=8,
                      out_dir=out_dir, log_every=4, log=quiet)
    return net, history


class LoopTest(unittest.TestCase):
    def test_trains_and_writes_each_epochs_files(self):
        with tempfile.TemporaryDirectory() as out:
            net, history = train_once(out)
            self.assertEqual([h["epoch"] for h in history], [1, 2, 3, 4])
            self.assertLess(history[-1]["mse"], history[0]["mse"] / 4)
            self.assertEqual(history[-1]["total"], history[-1]["mse"])
            for name in ("checkpoint.pt", "history.json", "curves.png", provenance.FILE):
                self.assertTrue(os.path.getsize(os.path.join(out, name)) > 0, name)
            with open(os.path.join(out, "history.json")) as f:
                self.assertEqual(json.load(f), history)
            saved = torch.load(os.path.join(out, "checkpoint.pt"))
            self.assertTrue(torch.equal(saved["w.weight"], net.w.weight.detach()))
            self.assertIsNone(provenance.mismatch(out, "checkpoint.pt"))

    def test_a_rerun_with_the_same_seed_gives_the_same_weights(self):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            first, _ = train_once(a, epochs=2)
            second, _ = train_once(b, epochs=2)
            self.assertTrue(torch.equal(first.w.weight, second.w.weight))
            self.assertTrue(torch.equal(first.w.bias, second.w.bias))


if __name__ == "__main__":
    unittest.main()
