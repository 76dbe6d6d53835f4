"""Training curves as a PNG, drawn with OpenCV (Debian has no matplotlib for this Python)."""
import cv2
import numpy as np

COLOURS = {"total": (0, 0, 0), "heat": (200, 60, 30), "dice": (30, 140, 30), "mask": (30, 60, 200),
           "box": (30, 140, 30), "landmarks": (30, 60, 200),
           "objectness": (150, 30, 150), "distil": (200, 60, 30), "sface": (30, 60, 200)}


def write_curves(history, path, width=720, height=420):
    img = np.full((height, width, 3), 255, np.uint8)
    left, right, top, bottom = 60, 20, 30, 40
    keys = [k for k in COLOURS if k in history[0]]
    top_value = max(max(h[k] for h in history) for k in keys) * 1.05 or 1.0
    epochs = len(history)

    def point(i, v):
        x = left + (width - left - right) * (i / max(1, epochs - 1))
        y = height - bottom - (height - top - bottom) * (v / top_value)
        return int(x), int(y)

    cv2.rectangle(img, (left, top), (width - right, height - bottom), (180, 180, 180), 1)
    for frac in (0.25, 0.5, 0.75, 1.0):
        y = int(height - bottom - (height - top - bottom) * frac)
        cv2.putText(img, f"{top_value * frac:.2f}", (5, y + 4), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (80, 80, 80), 1)
    for k in keys:
        pts = [point(i, h[k]) for i, h in enumerate(history)]
        for a, b in zip(pts, pts[1:]):
            cv2.line(img, a, b, COLOURS[k][::-1], 2)
    for j, k in enumerate(keys):
        cv2.putText(img, k, (left + 10 + 110 * j, top - 10), cv2.FONT_HERSHEY_SIMPLEX, 0.5, COLOURS[k][::-1], 1)
    cv2.putText(img, f"training loss per epoch (1..{epochs})", (left, height - 12), cv2.FONT_HERSHEY_SIMPLEX, 0.5,
                (0, 0, 0), 1)
    cv2.imwrite(path, img)
