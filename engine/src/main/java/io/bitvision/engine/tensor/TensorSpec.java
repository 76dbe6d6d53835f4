package io.bitvision.engine.tensor;

/**
 * Type and shape of an activation (channels x height x width), without any storage detail.
 *
 * @param bits number of bit-planes for {@link DataType#BITS} (1 = binary +-1, 2..8 = unsigned); 32 otherwise
 */
public record TensorSpec(DataType type, int bits, int channels, int height, int width) {
    public static final int MAX_BITS = 8;
    /** Hard cap on any dimension; readers enforce their own, usually smaller, limit. */
    public static final int MAX_DIMENSION = 1 << 16;

    public TensorSpec {
        if (type == DataType.BITS && (bits < 1 || bits > MAX_BITS)) {
            throw new IllegalArgumentException("bit tensors hold 1.." + MAX_BITS + " planes, not " + bits);
        }
        if (type != DataType.BITS && bits != 32) {
            throw new IllegalArgumentException(type + " tensors have 32 bits, not " + bits);
        }
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("shape must be positive: " + channels + "x" + height + "x" + width);
        }
        if (channels > MAX_DIMENSION || height > MAX_DIMENSION || width > MAX_DIMENSION) {
            throw new IllegalArgumentException("shape exceeds " + MAX_DIMENSION + ": " + channels + "x" + height + "x" + width);
        }
    }

    public static TensorSpec bits(int bits, int channels, int height, int width) {
        return new TensorSpec(DataType.BITS, bits, channels, height, width);
    }

    public static TensorSpec int32(int channels, int height, int width) {
        return new TensorSpec(DataType.INT32, 32, channels, height, width);
    }

    public static TensorSpec float32(int channels, int height, int width) {
        return new TensorSpec(DataType.FLOAT32, 32, channels, height, width);
    }

    public boolean isBinary() {
        return type == DataType.BITS && bits == 1;
    }

    public long pixels() {
        return (long) height * width;
    }

    /** The integer value that bit pattern 0 stands for: what a zero halo pads with. */
    public int paddingValue() {
        return isBinary() ? -1 : 0;
    }

    public TensorSpec withShape(int newChannels, int newHeight, int newWidth) {
        return new TensorSpec(type, bits, newChannels, newHeight, newWidth);
    }

    @Override
    public String toString() {
        String t = type == DataType.BITS ? (bits == 1 ? "binary" : "u" + bits) : type.name().toLowerCase();
        return t + "[" + channels + "x" + height + "x" + width + "]";
    }
}
