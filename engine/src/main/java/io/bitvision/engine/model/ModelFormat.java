package io.bitvision.engine.model;

/** Constants of the model file format, version 1 (docs/model-format.md is the specification). */
final class ModelFormat {
    /** "BVMF": BitVision Model File. */
    static final byte[] MAGIC = {'B', 'V', 'M', 'F'};
    static final int VERSION = 1;
    /** magic (4) + version (2) + flags (2) + payload length (4). */
    static final int HEADER_BYTES = 12;
    static final int CHECKSUM_BYTES = 4;
    static final int INPUT_TYPE_BITS = 0;

    private ModelFormat() {}
}
