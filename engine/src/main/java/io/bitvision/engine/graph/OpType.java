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
    PATCH_PACK(11),
    /** Made at load by {@link GraphFusion}; id 0 is never read from or written to a file. */
    CONV_ADD_QUANTIZE(0);

    private final int id;

    OpType(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** Whether model files may hold this kind; engine-internal kinds are made only by fusion at load. */
    public boolean stored() {
        return id != 0;
    }

    /** The stored kind with this id, or null. */
    public static OpType byId(int id) {
        for (OpType t : values()) {
            if (t.id == id && t.stored()) {
                return t;
            }
        }
        return null;
    }
}
