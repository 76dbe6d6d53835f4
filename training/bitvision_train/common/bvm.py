"""Writer for the engine's model file format, version 2 (docs/model-format.md)."""
import struct
import zlib

MAGIC = b"BVMF"
VERSION = 2

CONV, POOL, UPSAMPLE, PIXEL_SHUFFLE, CONCAT, ADD, GLOBAL_POOL, QUANTIZE, FLOAT_CONV, SIGMOID, PATCH_PACK = range(1, 12)
T_BINARY, T_MULTI, T_INT, T_FLOAT = 1, 2, 3, 4


class Writer:
    def __init__(self):
        self.parts = []

    def u8(self, v):
        self.parts.append(struct.pack(">B", v))

    def u16(self, v):
        if not 0 <= v <= 0xFFFF:
            raise ValueError(f"u16 out of range: {v}")
        self.parts.append(struct.pack(">H", v))

    def i32(self, v):
        self.parts.append(struct.pack(">i", v))

    def i32s(self, values):
        self.parts.append(struct.pack(f">{len(values)}i", *values))

    def i64s(self, values):
        self.parts.append(struct.pack(f">{len(values)}q", *values))

    def f32s(self, values):
        self.parts.append(struct.pack(f">{len(values)}f", *values))

    def string(self, s):
        b = s.encode("utf-8")
        self.u16(len(b))
        self.parts.append(b)

    def bytes(self):
        return b"".join(self.parts)


def pack_sign_bits(signs):
    """+-1 values in canonical order -> LSB-first 64-bit words (bit 1 = +1), as signed int64."""
    words = []
    for start in range(0, len(signs), 64):
        word = 0
        for i, s in enumerate(signs[start:start + 64]):
            if s > 0:
                word |= 1 << i
        if word >= 1 << 63:
            word -= 1 << 64
        words.append(word)
    return words


def write_transform(w, transform):
    kind = transform["kind"]
    if kind == "binary":
        w.u8(T_BINARY)
        w.u16(len(transform["descending"]))
        w.i32s(transform["thresholds"])
        w.parts.append(bytes(1 if d else 0 for d in transform["descending"]))
    elif kind == "multi":
        w.u8(T_MULTI)
        w.u16(len(transform["descending"]))
        w.u8(transform["bits"])
        w.i32s(transform["thresholds"])
        w.parts.append(bytes(1 if d else 0 for d in transform["descending"]))
    elif kind == "int":
        w.u8(T_INT)
        w.u16(len(transform["bias"]))
        w.i32s(transform["bias"])
    elif kind == "float":
        w.u8(T_FLOAT)
        w.u16(len(transform["scale"]))
        w.f32s(transform["scale"])
        w.f32s(transform["bias"])
    else:
        raise ValueError(kind)


def write_node(w, node):
    op = node["op"]
    w.u8(op)
    w.u8(len(node["inputs"]))
    for i in node["inputs"]:
        w.u16(i)
    if op == CONV:
        g = node["geometry"]
        w.u8(node["input_bits"])
        for key in ("in", "out", "kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw", "groups"):
            w.u16(g[key])
        write_transform(w, node["transform"])
        words = pack_sign_bits(node["signs"])
        w.i32(len(words))
        w.i64s(words)
    elif op == UPSAMPLE:
        w.u8(node["factor"])
    elif op == PIXEL_SHUFFLE:
        w.u8(node["ratio"])
        w.u8(1 if node["inverse"] else 0)
    elif op == QUANTIZE:
        write_transform(w, node["transform"])
    elif op == FLOAT_CONV:
        w.u16(node["in"])
        w.u16(node["out"])
        w.f32s(node["weights"])
        w.f32s(node["bias"])
    elif op == PATCH_PACK:
        for v in node["params"]:
            w.u8(v)
    elif op in (ADD, CONCAT, SIGMOID, GLOBAL_POOL):
        pass
    else:
        raise ValueError(f"no writer for op {op}")


def model_bytes(name, version, metadata, input_bits, input_shape, nodes, outputs):
    w = Writer()
    w.string(name)
    w.string(version)
    w.u16(len(metadata))
    for k, v in metadata.items():
        w.string(k)
        w.string(str(v))
    w.u8(0)
    w.u8(input_bits)
    c, h, wd = input_shape
    w.u16(c)
    w.u16(h)
    w.u16(wd)
    w.u16(len(nodes))
    for node in nodes:
        write_node(w, node)
    w.u16(len(outputs))
    for tensor_id, out_name in outputs:
        w.u16(tensor_id)
        w.string(out_name)
    payload = w.bytes()
    head = MAGIC + struct.pack(">HHI", VERSION, 0, len(payload)) + payload
    return head + struct.pack(">I", zlib.crc32(head) & 0xFFFFFFFF)
