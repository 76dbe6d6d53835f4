"""YuNet (ShiqiYu/libfacedetection.train onnx/yunet_*_640_640.onnx, Apache-2.0) as a face teacher: boxes, scores
and five landmarks, run with OpenCV's DNN module (Debian python3-opencv; no onnxruntime needed).

The file's layout (checked against the file, see ../shared/FACTS.md): input `input` 1x3x640x640 float BGR 0..255,
image letterboxed at the top-left; outputs cls_S, obj_S, bbox_S, kps_S for strides S = 8, 16, 32 (one row per cell,
row-major); score = sqrt(clamp(cls) * clamp(obj)); centre = ((col + dx) * S, (row + dy) * S); size = exp(dw) * S,
exp(dh) * S; landmark i = ((col + kx_i) * S, (row + ky_i) * S). Greedy NMS at IoU 0.3.

Images larger than the input are seen whole (scaled down) and, when --tile is on, as overlapping 640x640 tiles at
full resolution, so faces under about 20 px in a big photo are not lost; views are merged by NMS.
"""
from __future__ import annotations

import cv2
import numpy as np

INPUT = 640
STRIDES = (8, 16, 32)
LANDMARK_ORDER = ("right_eye", "left_eye", "nose", "right_mouth", "left_mouth")  # YuNet's, as seen by the subject


class YuNet:
    def __init__(self, path: str, nms_iou: float = 0.3):
        self.net = cv2.dnn.readNetFromONNX(path)
        self.nms_iou = nms_iou
        self.names = self.net.getUnconnectedOutLayersNames()

    def _run(self, bgr: np.ndarray, scale: float) -> np.ndarray:
        """Faces in one view as rows [x, y, w, h, score, lx0, ly0, ... lx4, ly4] in view pixels / scale."""
        h, w = bgr.shape[:2]
        canvas = np.zeros((INPUT, INPUT, 3), np.float32)
        canvas[:h, :w] = bgr
        self.net.setInput(canvas.transpose(2, 0, 1)[None], "input")
        outs = dict(zip(self.names, self.net.forward(self.names)))
        rows = []
        for s in STRIDES:
            n = INPUT // s
            cls = np.clip(outs[f"cls_{s}"].reshape(-1), 0, 1)
            obj = np.clip(outs[f"obj_{s}"].reshape(-1), 0, 1)
            score = np.sqrt(cls * obj)
            keep = np.nonzero(score >= 0.2)[0]
            if keep.size == 0:
                continue
            col = (keep % n).astype(np.float32)
            row = (keep // n).astype(np.float32)
            bb = outs[f"bbox_{s}"].reshape(-1, 4)[keep]
            kp = outs[f"kps_{s}"].reshape(-1, 10)[keep]
            cx, cy = (col + bb[:, 0]) * s, (row + bb[:, 1]) * s
            bw, bh = np.exp(bb[:, 2]) * s, np.exp(bb[:, 3]) * s
            lm = np.empty((keep.size, 10), np.float32)
            lm[:, 0::2] = (col[:, None] + kp[:, 0::2]) * s
            lm[:, 1::2] = (row[:, None] + kp[:, 1::2]) * s
            rows.append(np.concatenate([np.stack([cx - bw / 2, cy - bh / 2, bw, bh, score[keep]], 1), lm], 1))
        if not rows:
            return np.zeros((0, 15), np.float32)
        out = np.concatenate(rows)
        out[:, [0, 1, 2, 3]] /= scale
        out[:, 5:] /= scale
        return out

    def detect(self, bgr: np.ndarray, min_score: float = 0.5, tile: bool = True) -> list[dict]:
        h, w = bgr.shape[:2]
        scale = min(1.0, INPUT / max(h, w))
        view = cv2.resize(bgr, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA) if scale < 1 else bgr
        cands = [self._run(view, scale)]
        if tile and scale < 1:
            stride = INPUT * 3 // 4
            for y0 in _starts(h, INPUT, stride):
                for x0 in _starts(w, INPUT, stride):
                    part = self._run(bgr[y0:y0 + INPUT, x0:x0 + INPUT], 1.0)
                    part[:, [0, 5, 7, 9, 11, 13]] += x0
                    part[:, [1, 6, 8, 10, 12, 14]] += y0
                    # a face cut by an inner tile edge is left to the whole view or the neighbouring tile
                    inner = ((part[:, 0] > x0 + 2) | (x0 == 0)) & ((part[:, 1] > y0 + 2) | (y0 == 0)) \
                        & ((part[:, 0] + part[:, 2] < x0 + INPUT - 2) | (x0 + INPUT >= w)) \
                        & ((part[:, 1] + part[:, 3] < y0 + INPUT - 2) | (y0 + INPUT >= h))
                    cands.append(part[inner])
        allc = np.concatenate(cands)
        allc = allc[allc[:, 4] >= min(min_score, 0.3)]
        keep = nms(allc[:, :4], allc[:, 4], self.nms_iou)
        faces = []
        for r in allc[keep]:
            if r[4] < min_score:
                continue
            lm = r[5:].reshape(5, 2)
            # SFace/ArcFace order as seen in the image: left eye, right eye, nose, left mouth, right mouth
            faces.append({"box": [round(float(v), 2) for v in r[:4]], "score": round(float(r[4]), 4),
                          "landmarks5": [[round(float(x), 2), round(float(y), 2)] for x, y in lm]})
        return faces


def _starts(length: int, size: int, stride: int) -> list[int]:
    if length <= size:
        return [0]
    starts = list(range(0, length - size, stride))
    return starts + [length - size]


def nms(boxes: np.ndarray, scores: np.ndarray, iou: float) -> list[int]:
    order = np.argsort(-scores)
    keep = []
    x1, y1 = boxes[:, 0], boxes[:, 1]
    x2, y2 = x1 + boxes[:, 2], y1 + boxes[:, 3]
    area = boxes[:, 2] * boxes[:, 3]
    while order.size:
        i = order[0]
        keep.append(int(i))
        rest = order[1:]
        iw = np.clip(np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]), 0, None)
        ih = np.clip(np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]), 0, None)
        inter = iw * ih
        order = rest[inter / (area[i] + area[rest] - inter + 1e-9) <= iou]
    return keep
