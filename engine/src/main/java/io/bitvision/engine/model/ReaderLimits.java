package io.bitvision.engine.model;

/**
 * Bounds the model reader enforces before it allocates anything, so a hostile or damaged file costs at most
 * this much memory and time. Immutable; build with {@link #builder()}.
 */
public final class ReaderLimits {
    /** 256 MiB: the default person model is well under 1 MiB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 256L << 20;
    public static final int DEFAULT_MAX_NODES = 4096;
    /** Largest single activation (halo included): 512 MiB. */
    public static final long DEFAULT_MAX_TENSOR_BYTES = 512L << 20;
    public static final int DEFAULT_MAX_DIMENSION = 16384;
    /** Our exporter writes about a dozen entries. */
    public static final int DEFAULT_MAX_METADATA_ENTRIES = 256;
    /** Per metadata key or value; the longest, a free-text training recipe, stays well under this. */
    public static final int DEFAULT_MAX_METADATA_STRING_BYTES = 16384;

    private static final ReaderLimits DEFAULTS = builder().build();

    private final long maxFileBytes;
    private final int maxNodes;
    private final long maxTensorBytes;
    private final int maxDimension;
    private final int maxMetadataEntries;
    private final int maxMetadataStringBytes;

    private ReaderLimits(Builder b) {
        this.maxFileBytes = b.maxFileBytes;
        this.maxNodes = b.maxNodes;
        this.maxTensorBytes = b.maxTensorBytes;
        this.maxDimension = b.maxDimension;
        this.maxMetadataEntries = b.maxMetadataEntries;
        this.maxMetadataStringBytes = b.maxMetadataStringBytes;
    }

    public static ReaderLimits defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public long maxFileBytes() {
        return maxFileBytes;
    }

    public int maxNodes() {
        return maxNodes;
    }

    public long maxTensorBytes() {
        return maxTensorBytes;
    }

    public int maxDimension() {
        return maxDimension;
    }

    public int maxMetadataEntries() {
        return maxMetadataEntries;
    }

    public int maxMetadataStringBytes() {
        return maxMetadataStringBytes;
    }

    public static final class Builder {
        private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
        private int maxNodes = DEFAULT_MAX_NODES;
        private long maxTensorBytes = DEFAULT_MAX_TENSOR_BYTES;
        private int maxDimension = DEFAULT_MAX_DIMENSION;
        private int maxMetadataEntries = DEFAULT_MAX_METADATA_ENTRIES;
        private int maxMetadataStringBytes = DEFAULT_MAX_METADATA_STRING_BYTES;

        public Builder maxFileBytes(long value) {
            maxFileBytes = value;
            return this;
        }

        public Builder maxNodes(int value) {
            maxNodes = value;
            return this;
        }

        public Builder maxTensorBytes(long value) {
            maxTensorBytes = value;
            return this;
        }

        public Builder maxDimension(int value) {
            maxDimension = value;
            return this;
        }

        public Builder maxMetadataEntries(int value) {
            maxMetadataEntries = value;
            return this;
        }

        public Builder maxMetadataStringBytes(int value) {
            maxMetadataStringBytes = value;
            return this;
        }

        public ReaderLimits build() {
            if (maxFileBytes < 16 || maxFileBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxFileBytes must be in [16, 2^31 - 9]: " + maxFileBytes);
            }
            if (maxNodes < 1 || maxNodes > 65535) {
                throw new IllegalArgumentException("maxNodes must be in [1, 65535]: " + maxNodes);
            }
            if (maxTensorBytes < 1 || maxDimension < 1 || maxDimension > 65535) {
                throw new IllegalArgumentException("maxTensorBytes and maxDimension must be positive, dimension <= 65535");
            }
            if (maxMetadataEntries < 0 || maxMetadataEntries > ModelFormat.MAX_METADATA_ENTRIES
                    || maxMetadataStringBytes < 0 || maxMetadataStringBytes > ModelFormat.MAX_STRING_BYTES) {
                throw new IllegalArgumentException("maxMetadataEntries and maxMetadataStringBytes must be in [0, 65535]: "
                        + maxMetadataEntries + ", " + maxMetadataStringBytes);
            }
            return new ReaderLimits(this);
        }
    }
}
