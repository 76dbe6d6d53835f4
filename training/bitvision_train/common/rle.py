"""COCO RLE (column-major runs, starting with a background run) and its compressed string form."""
import numpy as np


def counts_of(mask):
    """Run lengths of a 2-D 0/1 mask in column-major order, starting with the zero run."""
    flat = np.asarray(mask, dtype=np.uint8).flatten(order="F")
    if flat.size == 0:
        return [0]
    change = np.flatnonzero(np.diff(flat)) + 1
    bounds = np.concatenate(([0], change, [flat.size]))
    runs = np.diff(bounds).tolist()
    return runs if flat[0] == 0 else [0] + runs


def compress(counts):
    out = []
    for i, c in enumerate(counts):
        x = int(c) - (int(counts[i - 2]) if i > 2 else 0)
        more = True
        while more:
            ch = x & 0x1F
            x >>= 5
            more = not ((ch & 0x10) == 0 and x == 0 or (ch & 0x10) != 0 and x == -1)
            if more:
                ch |= 0x20
            out.append(chr(ch + 48))
    return "".join(out)


def decompress(s):
    counts = []
    p = 0
    while p < len(s):
        x, k, more = 0, 0, True
        while more:
            c = ord(s[p]) - 48
            x |= (c & 0x1F) << (5 * k)
            more = bool(c & 0x20)
            p += 1
            k += 1
            if not more and (c & 0x10):
                x |= -1 << (5 * k)
        if len(counts) > 2:
            x += counts[-2]
        counts.append(x)
    return counts


def decode(rle):
    """Boolean H x W mask of an RLE dict (compressed string or raw counts)."""
    h, w = rle["size"]
    counts = decompress(rle["counts"]) if isinstance(rle["counts"], str) else rle["counts"]
    flat = np.zeros(h * w, dtype=np.uint8)
    pos, value = 0, 0
    for c in counts:
        if value:
            flat[pos:pos + c] = 1
        pos += c
        value ^= 1
    return flat.reshape((h, w), order="F").astype(bool)


def encode(mask):
    mask = np.asarray(mask)
    return {"size": [int(mask.shape[0]), int(mask.shape[1])], "counts": compress(counts_of(mask))}
