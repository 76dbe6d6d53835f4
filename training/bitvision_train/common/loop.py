"""The one training loop of the three trainers: Adam with a one-cycle schedule, progress lines, and after every epoch
the checkpoint, the provenance record, history.json and curves.png in the output directory.

A trainer gives the batches of an epoch and a step function that returns (loss, parts): the loss to minimise and
its named parts as plain floats, which the loop averages per epoch (plus their sum as "total").
"""
import json
import os
import random
import sys
import time

import numpy as np
import torch

from . import provenance
from .curves import write_curves


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def fit(net, parameters, batches, step, *, epochs, steps_per_epoch, lr, batch_size, out_dir, log_every=20,
        checkpoint="checkpoint.pt", log=sys.stderr):
    """Trains `net` on `parameters` (its own and, for example, a loss head's) for `epochs`.

    batches(epoch) yields the epoch's `steps_per_epoch` batches; step(batch) returns (loss tensor, {name: float}).
    Returns the history: one dict per epoch with the mean of each part, "total", "epoch" and "seconds".
    """
    steps = epochs * steps_per_epoch
    if steps < 4:
        raise ValueError(f"{epochs} epochs x {steps_per_epoch} steps is too short for the one-cycle schedule: "
                         "give at least 4 steps (more epochs, more samples or a smaller batch)")
    optimizer = torch.optim.Adam(parameters, lr=lr)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps,
                                                   pct_start=min(0.5, max(0.1, 3 / steps)))  # short runs: warm up half
    history = []
    done = 0
    started = time.time()
    for epoch in range(epochs):
        net.train()
        sums, count = {}, 0
        for batch in batches(epoch):
            loss, parts = step(batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            done += 1
            count += 1
            for k, v in parts.items():
                sums[k] = sums.get(k, 0.0) + v
            if done % log_every == 0:
                rate = done * batch_size / (time.time() - started)
                print(f"epoch {epoch + 1}/{epochs} step {done}/{steps} loss {float(loss):.3f} "
                      + " ".join(f"{k} {v:.3f}" for k, v in parts.items()) + f" ({rate:.1f} img/s)",
                      file=log, flush=True)
        means = {k: v / max(1, count) for k, v in sums.items()}
        means["total"] = sum(means.values())
        means["epoch"] = epoch + 1
        means["seconds"] = round(time.time() - started, 1)
        history.append(means)
        print(f"epoch {epoch + 1}/{epochs} done: total {means['total']:.4f} "
              + " ".join(f"{k} {means[k]:.4f}" for k in sums) + f" after {means['seconds']} s", file=log, flush=True)
        save(net, history, out_dir, checkpoint)
    return history


def save(net, history, out_dir, checkpoint):
    torch.save({k: v.cpu() for k, v in net.state_dict().items()}, os.path.join(out_dir, checkpoint))
    provenance.record(out_dir, checkpoint)
    with open(os.path.join(out_dir, "history.json"), "w") as f:
        json.dump(history, f, indent=1)
    write_curves(history, os.path.join(out_dir, "curves.png"))
