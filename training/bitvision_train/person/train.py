"""Train the person model on pseudo-labelled frames of a static camera, then export it.

    /usr/bin/python3 -m bitvision_train.person.train --video V --labels L.json.gz --frames 0:600 --epochs 30 --out DIR

Seeded and single-process, so a rerun on the same machine gives the same weights. Prints one progress line per
20 steps and per epoch, writes DIR/curves.png, DIR/history.json, DIR/checkpoint.pt, DIR/person.bvm, DIR/person.onnx.
"""
import argparse
import os
import sys

import cv2
import numpy as np
import torch

from ..common.loop import fit, seed_everything
from . import data, export, paste, photos
from .loss import criterion
from .model import PersonNet


def parse_range(text):
    a, b = text.split(":")
    return int(a), int(b)


def build_dataset(video, labels_path, first, last, augment, seed, crop=None, step=1, max_width=None, teacher=None,
                  zoom=None):
    """Frames first..last-1 (every `step`th) with their pseudo-label masks; frames wider than `max_width` are scaled
    down with their masks (the model sees 384 px, and a 1080p source would not fit in memory). With `teacher` (the
    teacher's boxes, JSON lines), people the teacher saw but the pseudo-labels left out (standing still, too small
    for the foreground test, crowded) are painted over with the frame's median colour, so they are not taught as
    background."""
    labels = data.load_labels(labels_path)
    by_frame = {f["frame"]: f for f in labels["frames"]}
    boxes = data.load_teacher_boxes(teacher) if teacher else {}
    frames, masks = [], []
    for i, rgb in enumerate(data.read_frames(video, first, last)):
        if i % step:
            continue
        ms = data.instance_masks(by_frame.get(first + i, {"instances": []}))
        if teacher:
            rgb = data.erase_unlabelled(rgb, ms, boxes.get(first + i, []))
        if max_width and rgb.shape[1] > max_width:
            size = (max_width, round(rgb.shape[0] * max_width / rgb.shape[1]))
            rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
            ms = [cv2.resize(m, size, interpolation=cv2.INTER_NEAREST) for m in ms]
        frames.append(rgb)
        masks.append(ms)
    return data.FrameSet(frames, masks, augment, seed, crop, zoom)


def parse_source(text):
    """VIDEO:LABELS:A:B[:STEP[:TEACHER]] of --data."""
    parts = text.split(":")
    if len(parts) not in (4, 5, 6):
        raise SystemExit(f"--data takes VIDEO:LABELS:A:B[:STEP[:TEACHER]], got {text}")
    return (parts[0], parts[1], int(parts[2]), int(parts[3]), int(parts[4]) if len(parts) >= 5 else 1,
            parts[5] if len(parts) == 6 else None)


def pasted_scenes(clips, photo_sets, args, crop):
    """Copy-paste composites: people cut from every clip and masked photo, pasted onto each clip's empty scene (its
    median frame) and onto the still photos of --background-image."""
    rng = np.random.default_rng(args.seed)
    sources = clips + photo_sets
    donors = paste.PersonDonors.from_frames([f for p in sources for f in p.frames],
                                            [m for p in sources for m in p.masks], rng)
    backgrounds = [paste.median_background(p.frames) for p in clips]
    backgrounds += paste.load_still_backgrounds(args.background_image)
    print(f"copy-paste: {len(donors)} people onto {len(backgrounds)} backgrounds, {args.paste} composites per epoch",
          file=sys.stderr, flush=True)
    return paste.PastedScenes(donors, backgrounds, args.paste, args.seed + 1000, crop)


def train(args):
    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    os.makedirs(args.out, exist_ok=True)
    crop = tuple(int(v) for v in args.crop.split("x")) if args.crop else None
    zoom = tuple(float(v) for v in args.zoom.split(":")) if args.zoom else None
    photo_zoom = tuple(float(v) for v in args.photo_zoom.split(":"))
    if args.data:
        parts = []
        for k, text in enumerate(args.data):
            video, labels, first, last, step, teacher = parse_source(text)
            part = build_dataset(video, labels, first, last, True, args.seed + k, crop, step, max_width=768,
                                 teacher=teacher, zoom=zoom)
            print(f"source {video}: {len(part)} frames ({first}..{last - 1} every {step})", file=sys.stderr, flush=True)
            parts.append(part)
        photo_sets = []
        for k, text in enumerate(args.masked_photos):
            root, _, every = text.partition(":")
            frames, masks = photos.load_masked_photos(root, int(every or 1))
            photo_sets.append(data.FrameSet(frames, masks, True, args.seed + 500 + k, crop, photo_zoom))
            print(f"masked photos {root}: {len(frames)} photos, {sum(len(m) for m in masks)} people", file=sys.stderr,
                  flush=True)
        if args.paste:
            parts.append(pasted_scenes(list(parts), photo_sets, args, crop))
        parts += photo_sets
        dataset = torch.utils.data.ConcatDataset(parts)
        print(f"training on {len(dataset)} samples of {len(parts)} sources", file=sys.stderr, flush=True)
    else:
        first, last = parse_range(args.frames)
        dataset = build_dataset(args.video, args.labels, first, last, True, args.seed, crop)
        print(f"training on {len(dataset)} frames ({first}..{last - 1}) of {args.video}", file=sys.stderr, flush=True)
    generator = torch.Generator().manual_seed(args.seed)
    loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch, shuffle=True, collate_fn=data.collate,
                                         generator=generator, num_workers=0, drop_last=True)
    device = torch.device(args.device if args.device != "auto" else ("cuda" if torch.cuda.is_available() else "cpu"))
    print(f"device {device}", file=sys.stderr, flush=True)
    net = PersonNet().to(device=device, memory_format=torch.channels_last)
    if args.resume:
        net.load_state_dict(torch.load(args.resume, map_location=device))
    def step(batch):
        images, targets = batch
        images = images.to(device).contiguous(memory_format=torch.channels_last)
        heat, heads, mf = net(images)
        return criterion(heat, heads, mf, [t.to(device) for t in targets])

    fit(net, net.parameters(), lambda epoch: loader, step, epochs=args.epochs, steps_per_epoch=len(loader), lr=args.lr,
        batch_size=args.batch, out_dir=args.out, log_every=20)
    return net


def export_all(net, out_dir, name, version, recipe):
    bvm_path = os.path.join(out_dir, "person.bvm")
    export.write_model(net, bvm_path, name, version, {"train.recipe": recipe})
    ops = export.trace(net, torch.zeros(1, 3, 288, 384))
    export.export_onnx(ops, os.path.join(out_dir, "person.onnx"))
    return bvm_path


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--video")
    p.add_argument("--labels")
    p.add_argument("--data", action="append", help="VIDEO:LABELS:A:B[:STEP[:TEACHER]], repeat for more sources "
                   "(instead of --video/--labels/--frames)")
    p.add_argument("--frames", default="0:600")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--crop", default="192x256", help="training crop HxW of the 288x384 input ('' for none)")
    p.add_argument("--resume")
    p.add_argument("--zoom", help="LOW:HIGH scale augmentation, log-uniform (default: uniform 0.8:1.25); "
                   "HIGH of 3 shows people three times their size in the footage")
    p.add_argument("--paste", type=int, default=0, help="copy-paste composites per epoch (with --data): people of "
                   "the sources on empty scenes, crowds, camera damage, some with nobody")
    p.add_argument("--background-image", action="append", default=[],
                   help="a photo without people to paste onto (repeat); the sources' median frames are always used")
    p.add_argument("--masked-photos", action="append", default=[], metavar="DIR[:EVERY]",
                   help="photos with person masks in the Penn-Fudan layout (PNGImages/, PedMasks/), with --data")
    p.add_argument("--photo-zoom", default="0.3:1.2", help="LOW:HIGH scale of the masked photos (their people are "
                   "large: mostly shown smaller)")
    p.add_argument("--device", default="auto", help="cpu, cuda or auto (cuda when PyTorch sees a GPU)")
    p.add_argument("--name", default="person")
    p.add_argument("--version", default="1")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    if not args.data and not (args.video and args.labels):
        p.error("give --video and --labels, or --data VIDEO:LABELS:A:B[:STEP]")
    net = train(args).cpu()
    sources = ([f"{os.path.basename(v)} {a}:{b} step {st}" + (" (teacher-seen people erased)" if t else "")
                for v, _, a, b, st, t in map(parse_source, args.data)]
               if args.data else [f"frames {args.frames} of {os.path.basename(args.video)}"])
    recipe = (f"{'; '.join(sources)}, {args.epochs} epochs, batch {args.batch}, "
              f"adam one-cycle lr {args.lr}, seed {args.seed}"
              + ("" if args.data else f", labels {os.path.basename(args.labels)}")
              + (f", from {os.path.basename(args.resume)}" if args.resume else "")
              + (f", zoom {args.zoom}" if args.zoom else "")
              + (f", {args.paste} copy-paste composites per epoch on {len(args.data)} median scenes and "
                 f"{len(args.background_image)} photos" if args.paste else "")
              + "".join(f", masked photos {os.path.basename(t.split(':')[0].rstrip('/'))} zoom {args.photo_zoom}"
                        for t in args.masked_photos))
    path = export_all(net, args.out, args.name, args.version, recipe)
    print(f"exported {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
