package io.bitvision.engine.reference;

import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/** Unpacked values of a tensor, [channel][y][x]: integers as long, floats as float. */
public final class RefTensor {
    private final TensorSpec spec;
    private final long[] ints;
    private final float[] floats;

    public RefTensor(TensorSpec spec) {
        this.spec = spec;
        int size = Math.toIntExact(spec.channels() * spec.pixels());
        this.ints = spec.type() == DataType.FLOAT32 ? null : new long[size];
        this.floats = spec.type() == DataType.FLOAT32 ? new float[size] : null;
    }

    public static RefTensor of(Tensor tensor) {
        TensorSpec spec = tensor.spec();
        RefTensor r = new RefTensor(spec);
        for (int c = 0; c < spec.channels(); c++) {
            for (int y = 0; y < spec.height(); y++) {
                for (int x = 0; x < spec.width(); x++) {
                    if (r.isFloat()) {
                        r.setFloat(c, y, x, tensor.floatValue(c, y, x));
                    } else {
                        r.set(c, y, x, tensor.intValue(c, y, x));
                    }
                }
            }
        }
        return r;
    }

    public TensorSpec spec() {
        return spec;
    }

    public boolean isFloat() {
        return floats != null;
    }

    private int at(int c, int y, int x) {
        return (c * spec.height() + y) * spec.width() + x;
    }

    public boolean inside(int y, int x) {
        return y >= 0 && y < spec.height() && x >= 0 && x < spec.width();
    }

    /** Value at (c, y, x); outside the frame, the padding value of the type (-1 binary, 0 otherwise). */
    public long get(int c, int y, int x) {
        if (!inside(y, x)) {
            return spec.type() == DataType.BITS ? spec.paddingValue() : 0;
        }
        return ints != null ? ints[at(c, y, x)] : (long) floats[at(c, y, x)];
    }

    public float getFloat(int c, int y, int x) {
        return floats != null ? floats[at(c, y, x)] : get(c, y, x);
    }

    public void set(int c, int y, int x, long value) {
        ints[at(c, y, x)] = value;
    }

    public void setFloat(int c, int y, int x, float value) {
        floats[at(c, y, x)] = value;
    }

    /** Exact equality: same spec, same values (floats compared by bit pattern). */
    public boolean sameAs(RefTensor other) {
        if (!spec.equals(other.spec)) {
            return false;
        }
        if (ints != null) {
            return java.util.Arrays.equals(ints, other.ints);
        }
        for (int i = 0; i < floats.length; i++) {
            if (Float.floatToIntBits(floats[i]) != Float.floatToIntBits(other.floats[i])) {
                return false;
            }
        }
        return true;
    }

    /** First differing position, for assertion messages. */
    public String firstDifference(RefTensor other) {
        if (!spec.equals(other.spec)) {
            return "spec " + spec + " vs " + other.spec;
        }
        for (int c = 0; c < spec.channels(); c++) {
            for (int y = 0; y < spec.height(); y++) {
                for (int x = 0; x < spec.width(); x++) {
                    float a = getFloat(c, y, x);
                    float b = other.getFloat(c, y, x);
                    if (Float.floatToIntBits(a) != Float.floatToIntBits(b)) {
                        return "at c=" + c + " y=" + y + " x=" + x + ": " + a + " vs " + b;
                    }
                }
            }
        }
        return "none";
    }
}
