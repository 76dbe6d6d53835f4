#!/usr/bin/python3
"""The face teacher's verification on held-out identities: TAR at FAR 1 % and 0.1 % of face-api's descriptors over
every pair of held-out photos of persons (the largest face of each photo, as calibrate takes it), with the number of
pairs behind each figure. Same photos as export_real_heldout.py exports for `./bitvision calibrate`.

    /usr/bin/python3 training/facedata/teacher_verification.py --faces ROOT/real-faces.jsonl.gz \
        --out bench-results/teacher-heldout-real.json
"""
import argparse
import gzip
import json

import numpy as np


def rates(scores, same, far):
    impostor = np.sort(scores[~same])[::-1]
    k = int(np.floor(far * len(impostor)))
    threshold = float(impostor[k]) + 1e-9 if k < len(impostor) else float(impostor[-1])
    return {"far_target": far, "threshold": round(threshold, 6), "far": round(float((scores[~same] >= threshold).mean()), 6),
            "tar": round(float((scores[same] >= threshold).mean()), 6),
            "resolvable": bool(far * len(impostor) >= 1)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--faces", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    people, vectors, missing = [], [], 0
    with gzip.open(args.faces, "rt") as f:
        for line in f:
            e = json.loads(line)
            if e.get("type") != "image" or e.get("split") != "held_out" or not e.get("person"):
                continue
            faces = e.get("faces") or []
            if not faces or faces[0].get("descriptor") is None:  # faces[0]: the largest (real_faces.py orders them)
                missing += 1
                continue
            people.append(f"{e['source']}-{e['person']}")
            vectors.append(faces[0]["descriptor"])
    d = np.asarray(vectors, dtype=np.float64)
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    cos = d @ d.T
    iu = np.triu_indices(len(people), 1)
    ids = np.asarray(people)
    same = ids[iu[0]] == ids[iu[1]]
    scores = cos[iu]
    report = {"teacher": "face-api 1.7.15 face_recognition_model (128-d), cosine", "faces": len(people),
              "identities": len(set(people)), "photos_without_descriptor": missing,
              "genuine_pairs": int(same.sum()), "impostor_pairs": int((~same).sum()),
              "at_far": [rates(scores, same, far) for far in (0.1, 0.01, 0.001)]}
    with open(args.out, "w") as f:
        json.dump(report, f, indent=1)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
