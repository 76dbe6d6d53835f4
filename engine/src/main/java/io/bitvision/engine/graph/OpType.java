package io.bitvision.engine.graph;

/** Operator kinds, with the ids model files use for them. Ids are part of the file format: never reuse one. */
public enum OpType {
    CONV(1),
    POOL(2),
    UPSAMPLE(3),
    PIXEL_SHUFFLE(4),
    CONCAT(5),
    ADD(6),
    GLOBAL_POOL(7),
    QUANTIZE(8),
    FLOAT_CONV(9),
    SIGMOID(10),
    PATCH_PACK(11);

    private final int id;

    OpType(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public static OpType byId(int id) {
        for (OpType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }
}
