"""Frames of a video file decoded by FFmpeg through OpenCV, and the engine's nearest-neighbour resize indices."""
import cv2
import numpy as np


def nearest_indices(src, dst):
    """The engine's NearestResize: source index floor(i * src / dst)."""
    return (np.arange(dst, dtype=np.int64) * src) // dst


def iter_frames(video):
    """(index, BGR frame) of every frame in order, decoded by FFmpeg through OpenCV."""
    cap = cv2.VideoCapture(video)
    try:
        index = 0
        while True:
            ok, bgr = cap.read()
            if not ok:
                return
            yield index, bgr
            index += 1
    finally:
        cap.release()
