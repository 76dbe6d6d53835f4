"""Mask AP and box recall of the exported (deploy-form) model against pseudo-labels on held-out frames.

    /usr/bin/python3 -m bitvision_train.person.evaluate --checkpoint C.pt --video V --labels L.json.gz --frames 600:795 --out R.json

Runs the exact integer graph the engine runs (common.graph.trace), decodes like the Java decoder at the camera's frame
size, and compares with the pseudo-label masks. Writes JSON and prints it.
"""
import argparse
import json
import sys

import numpy as np
import torch

from ..common.graph import trace
from ..common.metrics import average_precision, best_f1_threshold, box_recall
from . import data
from .decode import decode
from .model import PersonNet


def evaluate(net, video, labels_path, first, last, score_threshold=0.3):
    labels = {f["frame"]: f for f in data.load_labels(labels_path)["frames"]}
    frames = data.read_frames(video, first, last)
    ap_frames, recall_frames = [], []
    detections = 0
    for i, rgb in enumerate(frames):
        small = data.resize_nearest(rgb)
        image = torch.from_numpy(small.transpose(2, 0, 1).astype(np.float64))[None]
        m = trace(net, image).marks
        found = decode(m["heatmap"].value, m["heads"].value, m["mask_features"].value, rgb.shape[0], rgb.shape[1],
                       score_threshold=0.05)
        gt = labels.get(first + i, {"instances": []})
        gt_masks = data.instance_masks(gt)
        ap_frames.append(([(d["score"], d["mask"]) for d in found], gt_masks))
        kept = [d for d in found if d["score"] >= score_threshold]
        detections += len(kept)
        recall_frames.append(([d["bbox"] for d in kept], [inst["bbox"] for inst in gt["instances"]]))
        if (i + 1) % 25 == 0:
            print(f"evaluated {i + 1}/{len(frames)} frames", file=sys.stderr, flush=True)
    ap, ap50, ap75 = average_precision(ap_frames)
    threshold, f1, precision, recall = best_f1_threshold(ap_frames)
    return {
        "best_f1_threshold": threshold, "best_f1": round(f1, 4), "precision_at_best": round(precision, 4),
        "recall_at_best": round(recall, 4),
        "frames": len(frames), "first_frame": first, "ground_truth_instances": sum(len(g) for _, g in ap_frames),
        "detections_at_threshold": detections, "score_threshold": score_threshold,
        "mask_ap": round(ap, 4), "mask_ap50": round(ap50, 4), "mask_ap75": round(ap75, 4),
        "box_recall_iou50": round(box_recall(recall_frames), 4),
    }


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--video", required=True)
    p.add_argument("--labels", required=True)
    p.add_argument("--frames", default="600:795")
    p.add_argument("--out")
    p.add_argument("--score-threshold", type=float, default=0.3)
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    net = PersonNet()
    net.load_state_dict(torch.load(args.checkpoint))
    first, last = (int(v) for v in args.frames.split(":"))
    result = evaluate(net.eval(), args.video, args.labels, first, last, args.score_threshold)
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
