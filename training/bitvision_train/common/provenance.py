"""Which library versions made a checkpoint. Exact-bytes tests compare exports of committed checkpoints to the shipped
model files; another torch can change a float's last bit, so the tests first check that the torch running them is the
one recorded here, and say so, instead of failing on a byte diff."""
import json
import os

import numpy
import torch

FILE = "provenance.json"


def current():
    return {"torch": torch.__version__, "numpy": numpy.__version__}


def record(out_dir, checkpoint="checkpoint.pt"):
    """Writes (or updates) out_dir/provenance.json with the versions that wrote `checkpoint`."""
    path = os.path.join(out_dir, FILE)
    entries = load(out_dir)
    entries[checkpoint] = current()
    with open(path, "w") as f:
        json.dump(entries, f, indent=1, sort_keys=True)
        f.write("\n")


def load(directory):
    path = os.path.join(directory, FILE)
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def mismatch(directory, checkpoint):
    """None when the running torch is the one recorded for `checkpoint`, else a message naming both."""
    recorded = load(directory).get(checkpoint)
    if recorded is None:
        return f"{checkpoint} has no entry in {os.path.join(directory, FILE)}"
    if recorded["torch"] != torch.__version__:
        return (f"{checkpoint} was made and checked with torch {recorded['torch']}, this is torch {torch.__version__}:"
                f" re-export the shipped files with this torch (and update {FILE}) or run the recorded one")
    return None
