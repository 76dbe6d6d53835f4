"""Files of reference values the Java exactness tests read: gzip with fixed bytes."""
import gzip


def write_gz(path, payload):
    """gzip with a fixed timestamp, so a re-export of the same model gives the same bytes."""
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(payload)


def as_text(cases, header):
    """Line format the Java test reads without a JSON library (engine tests have no dependencies)."""
    lines = ["# " + header]
    for c in cases:
        lines.append(f"case {c['name']} {c['frame'][0]} {c['frame'][1]} {c['input']}")
        lines += [f"tensor {t['id']} {t['kind']} {t['digest']}" for t in c["tensors"]]
        lines += [f"floats {k} {v}" for k, v in c["floats"].items()]
        lines += [f"instance {i['score']:.6f} {' '.join(str(v) for v in i['bbox'])} {i['area']} {i['rle']['counts']}"
                  for i in c["instances"]]
        lines.append("end")
    return "\n".join(lines) + "\n"
