"""Train the binary face embedder: distil the teacher's embedding geometry, fine-tune with SFace on pseudo-identities.

    /usr/bin/python3 -m bitvision_train.face.train --faces data/faces/faces.jsonl.gz --epochs 40 --out DIR

Inputs are the 5-point aligned 112x112 crops (align.py) of the teacher's faces. Loss = MSE between the student's
and the teacher's pairwise cosine similarities in the batch (distillation: the teacher's 128-d face-api
descriptors define which faces are alike) + d * (1 - cosine of the student's embedding and the teacher's descriptor)
(--direct-weight) + w * SFace over the identities that have two or more faces.
Faces are split by source into train and held-out (every 5th source image/frame held out, never trained on).
Writes DIR/face.bvm, DIR/checkpoint.pt, DIR/history.json, DIR/curves.png, DIR/report.json.
"""
import argparse
import json
import os
import sys

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from ..common.loop import fit, seed_everything
from . import align, export
from .data import load_faces
from .model import FaceNet
from .sface import SFaceLoss


def augment(crop, rng, surveillance=0.0):
    """crop [3,112,112] float 0..255: horizontal flip, brightness/contrast jitter; with probability `surveillance`
    a camera's view of the face: seen at 24-48 px between the eyes' template distance scaled down (so 40-75 px
    crops), blurred, noisy and JPEG-compressed, then scaled back to 112."""
    if rng.random() < 0.5:
        crop = crop[:, :, ::-1]
    if rng.random() < surveillance:
        crop = surveillance_view(crop, rng)
    gain = rng.uniform(0.75, 1.25)
    bias = rng.uniform(-20, 20)
    return np.clip(np.round(crop * gain + bias), 0, 255)


def surveillance_view(crop, rng):
    img = np.ascontiguousarray(crop.transpose(1, 2, 0)).astype(np.float32)
    side = int(rng.integers(40, 76))  # template eye distance 35 px at 112: 12-24 px at this size
    small = cv2.resize(img, (side, side), interpolation=cv2.INTER_AREA)
    if rng.random() < 0.4:
        small = cv2.GaussianBlur(small, (0, 0), rng.uniform(0.4, 1.0))
    if rng.random() < 0.4:
        small = small + rng.normal(0, rng.uniform(2, 8), small.shape)
    small = np.clip(np.round(small), 0, 255).astype(np.uint8)
    if rng.random() < 0.5:
        ok, enc = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(20, 80))])
        if ok:
            small = cv2.imdecode(enc, cv2.IMREAD_UNCHANGED).reshape(small.shape)
    back = cv2.resize(small.astype(np.float32), (crop.shape[2], crop.shape[1]), interpolation=cv2.INTER_LINEAR)
    return back.transpose(2, 0, 1)


def jittered_landmarks(landmarks, rng, amount):
    """Landmarks moved as a detector's would be: each point by up to `amount` x the eye distance, plus a common
    shift, so the embedder learns crops that are not aligned perfectly."""
    eyes = float(np.linalg.norm(landmarks[0] - landmarks[1]))
    shift = rng.uniform(-amount, amount, 2) * eyes
    return landmarks + shift + rng.uniform(-amount, amount, landmarks.shape) * eyes


def similarity_targets(descriptors):
    d = F.normalize(descriptors, dim=1)
    return d @ d.t()


def centred(descriptors, centre):
    """The teacher's descriptors as directions away from `centre` (the mean of the training set's normalised
    descriptors). face-api's descriptors share one large common component (its norm is about 0.91, and two
    different people's descriptors have a cosine of about 0.83), so a student that matches the raw directions to a
    cosine of 0.85 can still have learnt nothing but that component; centred, the common part is gone and what is
    left tells people apart."""
    return F.normalize(F.normalize(descriptors, dim=1) - centre, dim=1)


def evaluate(net, crops, descriptors, identities):
    """Agreement with the teacher (Pearson r of pairwise cosines) and verification on pseudo-identity pairs."""
    net.eval()
    with torch.no_grad():
        emb = F.normalize(torch.cat([net(torch.from_numpy(np.stack(crops[k:k + 256])).float()).flatten(1)
                                     for k in range(0, len(crops), 256)]), dim=1)
    student = (emb @ emb.t()).numpy()
    teacher = similarity_targets(torch.from_numpy(np.stack(descriptors)).float()).numpy()
    iu = np.triu_indices(len(crops), 1)
    s, t = student[iu], teacher[iu]
    ids = np.array(identities)
    same = (ids[iu[0]] == ids[iu[1]]) & (ids[iu[0]] >= 0)  # -1: no pseudo-identity, matches nobody
    r = float(np.corrcoef(s, t)[0, 1]) if len(s) > 2 else float("nan")
    return {"faces": len(crops), "pairs": int(len(s)), "same_pairs": int(same.sum()),
            "teacher_agreement_pearson": round(r, 4), "student": s, "same": same}


def threshold_at_far(scores, same, far=0.01):
    """Smallest cosine threshold whose false-accept rate on different-identity pairs is <= far; its true-accept
    rate on same-identity pairs and the verification accuracy at it."""
    diff = np.sort(scores[~same])[::-1]
    if len(diff) == 0 or same.sum() == 0:
        return None
    k = int(np.floor(far * len(diff)))
    threshold = float(diff[k]) + 1e-6 if k < len(diff) else float(diff[-1])
    tar = float((scores[same] >= threshold).mean())
    far_actual = float((scores[~same] >= threshold).mean())
    accuracy = float(((scores >= threshold) == same).mean())
    return {"far_target": far, "threshold": round(threshold, 4), "far": round(far_actual, 4), "tar": round(tar, 4),
            "accuracy": round(accuracy, 4)}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--faces", required=True, nargs="+", help="one or more faces files (build_faces.py, real_faces.py)")
    p.add_argument("--init", help="start from this checkpoint's embedder weights")
    p.add_argument("--version", default="1", help="the model's version in the exported file (a new version is a new "
                   "embedding space: watchlists enrolled with another version are not compared)")
    p.add_argument("--surveillance", type=float, default=0.0,
                   help="share of training crops seen as a camera would: small, blurred, noisy, JPEG")
    p.add_argument("--epochs", type=int, default=40)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--sface-weight", type=float, default=0.05)
    p.add_argument("--no-train-report", dest="train_report", action="store_false",
                   help="report the held-out faces only (the training set's pairwise report is slow for thousands)")
    p.add_argument("--consistency", type=float, default=0.0,
                   help="weight of 1 - cos between two augmented views of the same faces")
    p.add_argument("--centre", action="store_true",
                   help="distil the teacher's descriptors centred on their training-set mean (see centred())")
    p.add_argument("--direct-weight", type=float, default=0.0,
                   help="weight of 1 - cos(student, teacher descriptor): the embedding itself distilled, not only "
                        "the batch's pairwise cosines")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--views", type=int, default=1,
                   help="aligned crops per training face: the exact one plus views-1 with jittered landmarks")
    p.add_argument("--jitter", type=float, default=0.06, help="landmark jitter, fraction of the eye distance")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.out, exist_ok=True)

    faces = load_faces(args.faces)
    train = [f for f in faces if not f["held_out"]]
    held = [f for f in faces if f["held_out"]]
    print(f"{len(faces)} faces: {len(train)} train, {len(held)} held out; "
          f"{len({f['identity'] for f in faces})} pseudo-identities", file=sys.stderr, flush=True)
    crops = [align.align(f["rgb"](), np.array(f["landmarks5"], dtype=np.float64)) for f in train]
    views = [[c] for c in crops]
    for f, v in zip(train, views):
        for _ in range(args.views - 1):
            v.append(align.align(f["rgb"](), jittered_landmarks(np.array(f["landmarks5"], dtype=np.float64), rng, args.jitter)))
    held_crops = [align.align(f["rgb"](), np.array(f["landmarks5"], dtype=np.float64)) for f in held]
    descriptors = torch.tensor([f["descriptor"] for f in train], dtype=torch.float32)
    centre = F.normalize(descriptors, dim=1).mean(0) if args.centre else torch.zeros(descriptors.shape[1])
    targets = centred(descriptors, centre)
    ids = sorted({f["identity"] for f in train})
    counts = {i: sum(1 for f in train if f["identity"] == i) for i in ids}
    classes = [i for i in ids if counts[i] >= 2]
    class_of = {i: k for k, i in enumerate(classes)}

    net = FaceNet()
    if args.init:
        net.load_state_dict(torch.load(args.init))
    head = SFaceLoss(128, max(1, len(classes)))
    steps_per_epoch = max(1, len(train) // args.batch)

    def batches(epoch):
        order = rng.permutation(len(train))
        for k in range(steps_per_epoch):
            yield order[k * args.batch:(k + 1) * args.batch]

    def step(idx):
        x = torch.from_numpy(np.stack([augment(views[i][int(rng.integers(len(views[i])))], rng, args.surveillance) for i in idx])
                             .astype(np.float32))
        emb = net(x).flatten(1)
        e = F.normalize(emb, dim=1)
        distil = F.mse_loss(e @ e.t(), similarity_targets(targets[idx]))
        direct = (1 - (e * targets[idx]).sum(1)).mean()
        labelled = [k for k, i in enumerate(idx) if train[i]["identity"] in class_of]
        sface = emb.new_zeros(())
        if labelled and classes:
            labels = torch.tensor([class_of[train[idx[k]]["identity"]] for k in labelled])
            sface = head(emb[labelled], labels)
        loss = distil * 100 + args.direct_weight * direct + args.sface_weight * sface
        parts = {"distil": float(distil) * 100, "direct": float(direct) * args.direct_weight,
                 "sface": float(sface) * args.sface_weight}
        if args.consistency > 0:
            # A second view of the same faces (another landmark jitter, rounding, camera damage): the embedding
            # must not move. Binary networks flip many bits for a one-pixel shift unless taught otherwise.
            x2 = torch.from_numpy(np.stack([augment(views[i][int(rng.integers(len(views[i])))], rng, args.surveillance)
                                            for i in idx]).astype(np.float32))
            e2 = F.normalize(net(x2).flatten(1), dim=1)
            consistency = (1 - (e * e2).sum(1)).mean()
            loss = loss + args.consistency * consistency
            parts["consistency"] = float(consistency) * args.consistency
        return loss, parts

    fit(net, list(net.parameters()) + list(head.parameters()), batches, step, epochs=args.epochs,
        steps_per_epoch=steps_per_epoch, lr=args.lr, batch_size=args.batch, out_dir=args.out)

    report = {}
    for name, group, group_crops in (("train", train, crops), ("held_out", held, held_crops)):
        if len(group) < 3 or (name == "train" and not args.train_report):
            continue
        r = evaluate(net, group_crops, [f["descriptor"] for f in group], [f["identity"] for f in group])
        teacher = similarity_targets(torch.tensor([f["descriptor"] for f in group])).numpy()[np.triu_indices(len(group), 1)]
        report[name] = {k: v for k, v in r.items() if k not in ("student", "same")}
        report[name]["student_at_far_1pct"] = threshold_at_far(r["student"], r["same"])
        report[name]["teacher_at_far_1pct"] = threshold_at_far(teacher, r["same"])
    export.write_face_model(net, os.path.join(args.out, "face.bvm"), "face-embedder", args.version,
                            {"train.recipe": f"{', '.join(os.path.basename(f) for f in args.faces)}: distil{' (centred teacher)' if args.centre else ''} + {args.direct_weight} x direct + {args.sface_weight} x SFace, {args.epochs} epochs, {args.views} views (landmark jitter {args.jitter}), surveillance views {args.surveillance}, consistency {args.consistency}, seed {args.seed}"
                                                                                              + (f", from {os.path.basename(args.init)}" if args.init else "")})
    with open(os.path.join(args.out, "report.json"), "w") as f:
        json.dump(report, f, indent=1)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
