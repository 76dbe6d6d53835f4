package io.bitvision.engine.tensor;

/** float32 values over a {@code float[]}, layout [channel][y][x], no halo. Only the float tail of heads uses it. */
public final class FloatTensor implements Tensor {
    private final TensorSpec spec;
    private final float[] data;
    private final int offset;

    public FloatTensor(TensorSpec spec, float[] data, int offset) {
        if (spec.type() != DataType.FLOAT32) {
            throw new IllegalArgumentException("not a float32 tensor: " + spec);
        }
        long size = (long) spec.channels() * spec.pixels();
        if (offset < 0 || offset + size > data.length) {
            throw new IllegalArgumentException("tensor of " + size + " floats at " + offset + " exceeds array of " + data.length);
        }
        this.spec = spec;
        this.data = data;
        this.offset = offset;
    }

    public static FloatTensor allocate(TensorSpec spec) {
        return new FloatTensor(spec, new float[Math.toIntExact(spec.channels() * spec.pixels())], 0);
    }

    @Override
    public TensorSpec spec() {
        return spec;
    }

    public float[] data() {
        return data;
    }

    public int index(int channel, int y, int x) {
        return offset + (channel * spec.height() + y) * spec.width() + x;
    }

    @Override
    public int intValue(int channel, int y, int x) {
        return (int) data[index(channel, y, x)];
    }

    @Override
    public float floatValue(int channel, int y, int x) {
        return data[index(channel, y, x)];
    }

    public void set(int channel, int y, int x, float value) {
        data[index(channel, y, x)] = value;
    }

    @Override
    public long storageBytes() {
        return spec.channels() * spec.pixels() * Float.BYTES;
    }
}
