"""Train the binary face detector on the teacher's faces, evaluate it on held-out images, export it.

    /usr/bin/python3 -m bitvision_train.face.detect_train --faces data/faces/faces.jsonl.gz --epochs 60 --out DIR

Seeded, single process. Prints progress per 10 steps and per epoch; writes DIR/face-detector.bvm,
DIR/checkpoint.pt, DIR/history.json, DIR/curves.png and DIR/report.json (recall and precision against the
teacher on the held-out images, landmark error).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

from ..common import bvm, graph
from ..common.loop import fit, seed_everything
from ..common.metrics import box_iou as iou
from .data import Sources
from .detect import INPUT_HEIGHT, INPUT_WIDTH, MIN_FACE, FaceDetNet, criterion, decode
from .detect_data import DetectionSet, collate, full_image, load_backgrounds, load_images


def detect(net, sources, item, score_threshold):
    image, fw, fh = full_image(sources, item)
    with torch.no_grad():
        heat, heads = net(image)
    return decode(heat[0, 0], heads[0], score_threshold, frame_w=fw, frame_h=fh), fw, fh


def evaluate(net, images, score_threshold=0.3):
    """Greedy matching at IoU >= 0.5 against the teacher's faces. 'Detectable' faces are those at least MIN_FACE
    px wide once the image is resized to the detector's input; detections on ignore regions are not counted as
    false. Landmark error: mean point distance over the inter-ocular distance, matched faces with good landmarks."""
    net.eval()
    sources = Sources()
    stats = {"images": len(images), "faces": 0, "matched": 0, "detectable": 0, "detectable_matched": 0,
             "detections": 0, "false": 0}
    nme = []
    for item in images:
        found, fw, fh = detect(net, sources, item, score_threshold)
        scale = INPUT_WIDTH / fw
        used = set()
        for face in item["faces"]:
            stats["faces"] += 1
            detectable = face["box"][2] * scale >= MIN_FACE
            stats["detectable"] += detectable
            best, best_iou = None, 0.5
            for k, d in enumerate(found):
                o = iou(face["box"], d["box"])
                if k not in used and o >= best_iou:
                    best, best_iou = k, o
            if best is None:
                continue
            used.add(best)
            stats["matched"] += 1
            stats["detectable_matched"] += detectable
            if face["landmarks"] is not None:
                gt = np.array(face["landmarks"])
                pred = np.array(found[best]["landmarks"])
                eyes = np.linalg.norm(gt[0] - gt[1])
                if eyes > 1:
                    nme.append(float(np.linalg.norm(gt - pred, axis=1).mean() / eyes))
        for k, d in enumerate(found):
            stats["detections"] += 1
            if k in used or any(iou(d["box"], b) >= 0.3 for b in item["ignores"]):
                continue
            stats["false"] += 1
    stats["recall"] = round(stats["matched"] / max(1, stats["faces"]), 4)
    stats["recall_detectable"] = round(stats["detectable_matched"] / max(1, stats["detectable"]), 4)
    stats["precision"] = round(1 - stats["false"] / max(1, stats["detections"]), 4)
    stats["landmark_nme"] = round(float(np.mean(nme)), 4) if nme else None
    stats["landmark_faces"] = len(nme)
    stats["score_threshold"] = score_threshold
    return stats


def train(args, images):
    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    dataset = DetectionSet([i for i in images if not i["held_out"]], args.samples, args.seed, args.photo_weight,
                           backgrounds=load_backgrounds(args.background), paste_prob=args.paste,
                           degrade_prob=args.degrade)
    loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch, shuffle=False, collate_fn=collate,
                                         num_workers=0, drop_last=True)
    net = FaceDetNet()
    if args.init:
        net.load_state_dict(torch.load(args.init))
    def batches(epoch):
        dataset.epoch = epoch
        return loader

    def step(batch):
        images_batch, targets = batch
        heat, heads = net(images_batch)
        return criterion(heat, heads, targets)

    fit(net, net.parameters(), batches, step, epochs=args.epochs, steps_per_epoch=len(loader), lr=args.lr,
        batch_size=args.batch, out_dir=args.out, log_every=10)
    return net


def detector_metadata(score_threshold, recipe):
    return {"task": "face-detection", "decoder": "centerface-v1", "input.order": "rgb", "input.resize": "nearest",
            "score_threshold": str(score_threshold), "max_faces": "50", "stride": "8",
            "size_base": str(32.0), "landmarks": "5", "train.recipe": recipe}


def write_detector(net, path, name, version, metadata):
    image = torch.zeros(1, 3, INPUT_HEIGHT, INPUT_WIDTH)
    ops = graph.GraphOps(image)
    with torch.no_grad():
        net.eval()
        net(ops.refs[0], ops)
    data = bvm.model_bytes(name, version, metadata, 8, (3, INPUT_HEIGHT, INPUT_WIDTH), ops.nodes,
                           [(ops.marks["heatmap"].id, "heatmap"), (ops.marks["heads"].id, "heads")])
    with open(path, "wb") as f:
        f.write(data)
    return data, ops


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--faces", required=True, nargs="+", help="one or more faces files (build_faces.py, real_faces.py)")
    p.add_argument("--background", action="append", default=[],
                   help="PATH[:EVERY]: frames of a fixed camera to paste faces onto (repeat)")
    p.add_argument("--paste", type=float, default=0.0, help="share of samples that are pasted faces on a background")
    p.add_argument("--degrade", type=float, default=0.0, help="share of photo samples given camera degradations")
    p.add_argument("--epochs", type=int, default=60)
    p.add_argument("--samples", type=int, default=320, help="random crops per epoch")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--score-threshold", type=float, default=0.3)
    p.add_argument("--resume", help="skip training: evaluate and export this checkpoint")
    p.add_argument("--photo-weight", type=float, default=1.0,
                   help="how much more often real photos are drawn than video frames and LFW crops")
    p.add_argument("--init", help="start training from this checkpoint's weights (a second schedule)")
    p.add_argument("--version", default="1", help="the model's version in the exported file")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    images = load_images(args.faces)
    held = [i for i in images if i["held_out"]]
    print(f"{len(images) - len(held)} training images, {len(held)} held out", file=sys.stderr, flush=True)
    if args.resume:
        torch.set_num_threads(args.threads)
        net = FaceDetNet()
        net.load_state_dict(torch.load(args.resume))
    else:
        net = train(args, images)
    report = {"held_out": evaluate(net, held, args.score_threshold),
              "training": evaluate(net, [i for i in images if not i["held_out"]], args.score_threshold)}
    print(json.dumps(report, indent=1), file=sys.stderr)
    with open(os.path.join(args.out, "report.json"), "w") as f:
        json.dump(report, f, indent=1)
    recipe = (f"teacher faces {', '.join(os.path.basename(f) for f in args.faces)}, {args.epochs} epochs x {args.samples} crops, "
              + (f"{args.paste:.0%} pasted on {len(args.background)} camera(s), degrade {args.degrade}, " if args.paste else "")
              + (f"from {os.path.basename(os.path.dirname(args.init))} weights, " if args.init else "") +
              f"batch {args.batch}, adam one-cycle lr {args.lr}, seed {args.seed}")
    write_detector(net, os.path.join(args.out, "face-detector.bvm"), "face-detector", args.version,
                   detector_metadata(args.score_threshold, recipe))
    print(f"exported {os.path.join(args.out, 'face-detector.bvm')}", file=sys.stderr)


if __name__ == "__main__":
    main()
