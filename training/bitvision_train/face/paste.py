"""Copy-paste and camera degradations for the face detector (issue 14): real faces, cut from the teacher-labelled
photos with their landmarks, pasted onto frames of fixed cameras (vtest, street and indoor clips) at 8-110 px at the
detector's input, so that it learns surveillance-scale faces in surveillance scenes; then blur, noise, JPEG artefacts
and low light over the whole sample, as cameras deliver them."""
import cv2
import numpy as np


class FaceDonors:
    """Face patches (box grown by CONTEXT on each side) with their landmarks relative to the patch."""

    CONTEXT = 0.35

    def __init__(self, images, sources, max_faces=4000, min_size=40, seed=0):
        rng = np.random.default_rng(seed)
        candidates = [(item, face) for item in images for face in item["faces"]
                      if face["landmarks"] is not None and min(face["box"][2:]) >= min_size]
        rng.shuffle(candidates)
        self.items = candidates[:max_faces]
        self.sources = sources

    def __len__(self):
        return len(self.items)

    def patch(self, k):
        item, face = self.items[k]
        rgb = self.sources.rgb(item["entry"])
        x, y, w, h = face["box"]
        x0, y0 = int(max(0, x - self.CONTEXT * w)), int(max(0, y - self.CONTEXT * h))
        x1, y1 = int(min(rgb.shape[1], x + w * (1 + self.CONTEXT))), int(min(rgb.shape[0], y + h * (1 + self.CONTEXT)))
        patch = rgb[y0:y1, x0:x1]
        box = [x - x0, y - y0, w, h]
        landmarks = [[lx - x0, ly - y0] for lx, ly in face["landmarks"]]
        return patch, box, landmarks


def paste_faces(background, donors, rng, count, min_px=8.0, max_px=110.0):
    """Pastes `count` donor faces onto `background` (H x W x 3 uint8, the detector's input size) at random places and
    log-uniform face widths; returns the image and the pasted faces as {box, landmarks} in its pixels. A feathered
    elliptical mask blends each patch in; later pastes may cover earlier ones partly (occlusion), and a face more
    than half covered is dropped from the labels."""
    out = background.copy()
    H, W = out.shape[:2]
    coverage = np.zeros((H, W), np.int32)
    placed = []
    for n in range(count):
        patch, box, landmarks = donors.patch(int(rng.integers(len(donors))))
        target = float(np.exp(rng.uniform(np.log(min_px), np.log(max_px))))
        s = target / box[2]
        ph, pw = max(1, int(round(patch.shape[0] * s))), max(1, int(round(patch.shape[1] * s)))
        if ph >= H or pw >= W:
            continue
        small = cv2.resize(patch, (pw, ph), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
        if rng.random() < 0.5:
            small = small[:, ::-1]
            fbox = [pw - (box[0] + box[2]) * s, box[1] * s, box[2] * s, box[3] * s]
            flm = [[pw - lx * s, ly * s] for lx, ly in landmarks]
            flm = [flm[1], flm[0], flm[2], flm[4], flm[3]]
        else:
            fbox = [v * s for v in box]
            flm = [[lx * s, ly * s] for lx, ly in landmarks]
        ox, oy = int(rng.integers(0, W - pw + 1)), int(rng.integers(0, H - ph + 1))
        yy, xx = np.mgrid[0:ph, 0:pw].astype(np.float32)
        r = ((xx - pw / 2) / (pw / 2)) ** 2 + ((yy - ph / 2) / (ph / 2)) ** 2
        alpha = np.clip((1.0 - r) / 0.35, 0, 1)[:, :, None]
        region = out[oy:oy + ph, ox:ox + pw].astype(np.float32)
        out[oy:oy + ph, ox:ox + pw] = np.round(alpha * small + (1 - alpha) * region).astype(np.uint8)
        fx, fy, fw, fh = fbox
        face_box = [fx + ox, fy + oy, fw, fh]
        x0, y0 = int(max(0, face_box[0])), int(max(0, face_box[1]))
        x1, y1 = int(min(W, face_box[0] + fw)), int(min(H, face_box[1] + fh))
        coverage[y0:y1, x0:x1] = n + 1
        placed.append({"id": n + 1, "box": face_box, "landmarks": [[lx + ox, ly + oy] for lx, ly in flm],
                       "area": max(1, (x1 - x0) * (y1 - y0)), "rect": (x0, y0, x1, y1)})
    faces = []
    for p in placed:
        x0, y0, x1, y1 = p["rect"]
        visible = int((coverage[y0:y1, x0:x1] == p["id"]).sum())
        if visible >= 0.5 * p["area"]:
            faces.append({"box": p["box"], "landmarks": p["landmarks"]})
    return out, faces
