"""What the pseudo-labelling scripts share: running a Node teacher that reads raw images on stdin and prints one
JSON line per image, and box overlap measures."""
import json
import os
import shutil
import subprocess
import threading


def run_node_teacher(script, args, chunks, log):
    """Runs `node script args` in the script's folder, writes every bytes chunk of the iterable `chunks` to its
    stdin from a thread (so the teacher's output never blocks the feeder), and returns the JSON records it prints,
    in order. SystemExit when node is missing or the teacher fails."""
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node not found (the teacher needs Node 20 and `npm ci` in training/teacher)")
    cmd = [node, script] + [str(a) for a in args]
    log("teacher: " + " ".join(cmd))
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=os.path.dirname(script))
    errors = []

    def feed():
        try:
            for chunk in chunks:
                proc.stdin.write(chunk)
        except BaseException as e:  # noqa: BLE001 (reported below)
            errors.append(e)
        finally:
            proc.stdin.close()

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    records = [json.loads(line) for line in proc.stdout]
    feeder.join()
    if proc.wait() != 0 or errors:
        raise SystemExit(f"teacher failed (rc={proc.returncode}, {errors})")
    return records


def box_overlap(a, b):
    """IoU and intersection over the smaller box, for [x, y, w, h] boxes."""
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    aa, ab = a[2] * a[3], b[2] * b[3]
    return inter / max(aa + ab - inter, 1e-9), inter / max(min(aa, ab), 1e-9)
