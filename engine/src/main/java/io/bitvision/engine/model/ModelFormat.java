package io.bitvision.engine.model;

/** Constants of the model file format (docs/model-format.md is the specification). */
final class ModelFormat {
    /** "BVMF": BitVision Model File. */
    static final byte[] MAGIC = {'B', 'V', 'M', 'F'};
    /** The version the writer produces. */
    static final int VERSION = 2;
    /** Version 1 has no metadata block; readers keep reading it. */
    static final int OLDEST_READABLE_VERSION = 1;
    static final int FIRST_VERSION_WITH_METADATA = 2;
    /** magic (4) + version (2) + flags (2) + payload length (4). */
    static final int HEADER_BYTES = 12;
    static final int CHECKSUM_BYTES = 4;
    static final int INPUT_TYPE_BITS = 0;
    /** Strings are a u16 byte length followed by UTF-8 bytes. */
    static final int MAX_STRING_BYTES = 65535;
    /** The metadata count is a u16. */
    static final int MAX_METADATA_ENTRIES = 65535;

    private ModelFormat() {}
}
