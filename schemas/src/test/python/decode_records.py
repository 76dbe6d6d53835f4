#!/usr/bin/env python3
"""Decodes bitvision's Avro records without any Java code, to check the Java side independently.

Usage: decode_records.py RECORDS_FILE SCHEMA.avsc [SCHEMA.avsc ...]

RECORDS_FILE holds messages, each as a 4-byte big-endian length followed by an Avro single-object
encoded message (C3 01, 8-byte little-endian CRC-64-AVRO fingerprint, binary body). Each message's
fingerprint must be the fingerprint of one of the given schemas, computed here from the schema's
Parsing Canonical Form as the Avro specification defines it. Bodies are decoded with Debian's
python3-avro; every COCO RLE string is decoded to a mask by the code below (a port of pycocotools'
rleFrString plus run decoding), not by anything from the Java side.

Prints one JSON object per message: {"schema", "fingerprint", "record", "masks"}, where "masks" holds,
for each instance (FrameMasks only), the decoded mask's area, [x, y, w, h] box and the SHA-256 of the mask
as row-major 0/1 bytes. Exits non-zero on the
first message it cannot decode.
"""
import datetime
import hashlib
import io
import json
import struct
import sys

try:
    import avro.io
    import avro.schema
except ImportError:
    sys.exit("python3-avro is missing: apt-get install python3-avro")

MARKER = b"\xc3\x01"
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
CANONICAL_KEYS = ("name", "type", "fields", "symbols", "items", "values", "size")

# --- CRC-64-AVRO, as in the specification's "Schema Fingerprints" section ---
CRC64_EMPTY = 0xC15D213AA4D7A795
CRC64_TABLE = []
for _i in range(256):
    _fp = _i
    for _ in range(8):
        _fp = (_fp >> 1) ^ (CRC64_EMPTY & -(_fp & 1))
    CRC64_TABLE.append(_fp)


def crc64_avro(data):
    fp = CRC64_EMPTY
    for byte in data:
        fp = (fp >> 8) ^ CRC64_TABLE[(fp ^ byte) & 0xFF]
    return fp


# --- Parsing Canonical Form, from the specification, on the schema's JSON ---
# (python3-avro 1.11's Schema.canonical_form keeps {"type": "long"} for logical types, so it is not used.)
def full_name(name, namespace):
    return name if "." in name or not namespace else namespace + "." + name


def canonical(schema, namespace, seen):
    if isinstance(schema, str):
        if schema in PRIMITIVES:
            return schema
        return full_name(schema, namespace)
    if isinstance(schema, list):
        return [canonical(branch, namespace, seen) for branch in schema]
    kind = schema["type"]
    if kind in PRIMITIVES:
        return kind
    if kind in ("record", "error", "enum", "fixed"):
        name = full_name(schema["name"], schema.get("namespace", namespace))
        if name in seen:
            return name
        seen.add(name)
        inner_namespace = name.rpartition(".")[0]
        out = {"name": name, "type": "record" if kind == "error" else kind}
        if kind in ("record", "error"):
            out["fields"] = [{"name": f["name"], "type": canonical(f["type"], inner_namespace, seen)}
                             for f in schema["fields"]]
        elif kind == "enum":
            out["symbols"] = list(schema["symbols"])
        else:
            out["size"] = int(schema["size"])
        return out
    if kind == "array":
        return {"type": "array", "items": canonical(schema["items"], namespace, seen)}
    if kind == "map":
        return {"type": "map", "values": canonical(schema["values"], namespace, seen)}
    return canonical(kind, namespace, seen)


def to_json_text(canonical_schema):
    def ordered(node):
        if isinstance(node, dict):
            return {key: ordered(node[key]) for key in CANONICAL_KEYS if key in node}
        if isinstance(node, list):
            return [ordered(item) for item in node]
        return node
    return json.dumps(ordered(canonical_schema), separators=(",", ":"), ensure_ascii=False)


def fingerprint(schema_json):
    return crc64_avro(to_json_text(canonical(schema_json, "", set())).encode("utf-8"))


# --- COCO RLE, ported from pycocotools maskApi.c ---
def rle_from_string(text):
    """rleFrString: the run counts of a COCO compressed RLE string."""
    counts = []
    p = 0
    while p < len(text):
        x = 0
        k = 0
        more = True
        while more:
            c = ord(text[p]) - 48
            x |= (c & 0x1F) << (5 * k)
            more = c & 0x20
            p += 1
            k += 1
            if not more and (c & 0x10):
                x |= -1 << (5 * k)
        if len(counts) > 2:
            x += counts[-2]
        counts.append(x)
    return counts


def mask_from_counts(counts, height, width):
    """A column-major bytearray of 0/1, runs alternating background / foreground."""
    if any(c < 0 for c in counts) or sum(counts) != height * width:
        raise ValueError("runs %s do not cover %dx%d" % (counts[:10], height, width))
    mask = bytearray(height * width)
    p = 0
    for i, count in enumerate(counts):
        if i % 2 == 1:
            mask[p:p + count] = b"\x01" * count
        p += count
    return mask


def row_major_sha256(mask, height):
    """SHA-256 of the mask as row-major 0/1 bytes: column-major row y is every height-th byte from y."""
    digest = hashlib.sha256()
    for y in range(height):
        digest.update(mask[y::height])
    return digest.hexdigest()


def area_and_bbox(mask, height, width):
    area = mask.count(1)
    xs = []
    top = height
    bottom = -1
    for x in range(width):
        column = mask[x * height:(x + 1) * height]
        first = column.find(1)
        if first >= 0:
            xs.append(x)
            top = min(top, first)
            bottom = max(bottom, column.rfind(1))
    if not xs:
        return area, [0, 0, 0, 0]
    return area, [xs[0], top, xs[-1] - xs[0] + 1, bottom - top + 1]


# --- decoding ---
def plain(value):
    """The decoded datum in JSON terms: dates as epoch milliseconds, bytes as hex."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, datetime.datetime):
        return (value - EPOCH) // datetime.timedelta(milliseconds=1)
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return value


def decoded_masks(record):
    masks = []
    for instance in record.get("instances", []):
        height, width = instance["rle"]["size"]
        mask = mask_from_counts(rle_from_string(instance["rle"]["counts"]), height, width)
        area, bbox = area_and_bbox(mask, height, width)
        masks.append({"area": area, "bbox": bbox, "sha256": row_major_sha256(mask, height)})
    return masks


def load_schemas(paths):
    by_fingerprint = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        parsed = avro.schema.parse(text)
        by_fingerprint[fingerprint(json.loads(text))] = parsed
    return by_fingerprint


def messages(path):
    with open(path, "rb") as f:
        data = f.read()
    p = 0
    while p < len(data):
        if p + 4 > len(data):
            raise ValueError("truncated length at byte %d" % p)
        (length,) = struct.unpack(">I", data[p:p + 4])
        p += 4
        if p + length > len(data):
            raise ValueError("truncated message at byte %d" % p)
        yield data[p:p + length]
        p += length


def decode(message, schemas):
    if message[:2] != MARKER:
        raise ValueError("no single-object marker: %s" % message[:2].hex())
    (fp,) = struct.unpack("<Q", message[2:10])
    if fp not in schemas:
        raise ValueError("fingerprint %016x matches none of the given schemas" % fp)
    schema = schemas[fp]
    body = avro.io.BinaryDecoder(io.BytesIO(message[10:]))
    record = avro.io.DatumReader(schema).read(body)
    left = len(message) - 10 - body.reader.tell()
    if left:
        raise ValueError("%d bytes left after the %s body" % (left, schema.fullname))
    return {"schema": schema.fullname, "fingerprint": "%016x" % fp, "record": plain(record),
            "masks": decoded_masks(record)}


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    schemas = load_schemas(argv[2:])
    for index, message in enumerate(messages(argv[1])):
        try:
            line = decode(message, schemas)
        except Exception as e:  # report which message failed, then stop
            sys.exit("message %d: %s: %s" % (index, type(e).__name__, e))
        print(json.dumps(line, ensure_ascii=False, allow_nan=False))


if __name__ == "__main__":
    main(sys.argv)
