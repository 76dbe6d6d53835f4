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

    private static final ReaderLimits DEFAULTS = builder().build();

    private final long maxFileBytes;
    private final int maxNodes;
    private final long maxTensorBytes;
    private final int maxDimension;

    private ReaderLimits(Builder b) {
        this.maxFileBytes = b.maxFileBytes;
        this.maxNodes = b.maxNodes;
        this.maxTensorBytes = b.maxTensorBytes;
        this.maxDimension = b.maxDimension;
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

    public static final class Builder {
        private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
        private int maxNodes = DEFAULT_MAX_NODES;
        private long maxTensorBytes = DEFAULT_MAX_TENSOR_BYTES;
        private int maxDimension = DEFAULT_MAX_DIMENSION;

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
            return new ReaderLimits(this);
        }
    }
}
