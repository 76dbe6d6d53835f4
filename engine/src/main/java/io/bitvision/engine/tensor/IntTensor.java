package io.bitvision.engine.tensor;

/** int32 values over an {@code int[]}, layout [channel][y][x], no halo. */
public final class IntTensor implements Tensor {
    private final TensorSpec spec;
    private final int[] data;
    private final int offset;

    public IntTensor(TensorSpec spec, int[] data, int offset) {
        if (spec.type() != DataType.INT32) {
            throw new IllegalArgumentException("not an int32 tensor: " + spec);
        }
        long size = (long) spec.channels() * spec.pixels();
        if (offset < 0 || offset + size > data.length) {
            throw new IllegalArgumentException("tensor of " + size + " ints at " + offset + " exceeds array of " + data.length);
        }
        this.spec = spec;
        this.data = data;
        this.offset = offset;
    }

    public static IntTensor allocate(TensorSpec spec) {
        return new IntTensor(spec, new int[Math.toIntExact(spec.channels() * spec.pixels())], 0);
    }

    @Override
    public TensorSpec spec() {
        return spec;
    }

    public int[] data() {
        return data;
    }

    public int index(int channel, int y, int x) {
        return offset + (channel * spec.height() + y) * spec.width() + x;
    }

    @Override
    public int intValue(int channel, int y, int x) {
        return data[index(channel, y, x)];
    }

    @Override
    public float floatValue(int channel, int y, int x) {
        return data[index(channel, y, x)];
    }

    public void set(int channel, int y, int x, int value) {
        data[index(channel, y, x)] = value;
    }

    @Override
    public long storageBytes() {
        return spec.channels() * spec.pixels() * Integer.BYTES;
    }
}
