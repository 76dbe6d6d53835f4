package io.bitvision.engine.graph;

import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.FloatTensor;
import io.bitvision.engine.tensor.IntTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/**
 * Pixel shuffle (depth to space) or, with {@code inverse}, unshuffle (space to depth), PyTorch's channel order:
 * shuffled {@code out[c][y*r+dy][x*r+dx] = in[c*r*r + dy*r + dx][y][x]}.
 */
public final class PixelShuffleOp implements Op {
    private final int ratio;
    private final boolean inverse;

    public PixelShuffleOp(int ratio, boolean inverse) {
        Op.require(ratio >= 1 && ratio <= 16, "shuffle ratio out of 1..16: " + ratio);
        this.ratio = ratio;
        this.inverse = inverse;
    }

    public int ratio() {
        return ratio;
    }

    public boolean inverse() {
        return inverse;
    }

    @Override
    public OpType type() {
        return OpType.PIXEL_SHUFFLE;
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public TensorSpec outputSpec(TensorSpec[] inputs) {
        TensorSpec in = inputs[0];
        int rr = ratio * ratio;
        if (inverse) {
            Op.require(in.height() % ratio == 0 && in.width() % ratio == 0, "unshuffle by " + ratio + " needs sides divisible: " + in);
            return in.withShape(in.channels() * rr, in.height() / ratio, in.width() / ratio);
        }
        Op.require(in.channels() % rr == 0, "shuffle by " + ratio + " needs channels divisible by " + rr + ": " + in);
        return in.withShape(in.channels() / rr, in.height() * ratio, in.width() * ratio);
    }

    @Override
    public void forward(Tensor[] inputs, Tensor output, ExecContext context) {
        Tensor in = inputs[0];
        TensorSpec shuffled = inverse ? in.spec() : output.spec();
        Tensor spatial = inverse ? in : output;
        Tensor deep = inverse ? output : in;
        for (int c = 0; c < shuffled.channels(); c++) {
            for (int y = 0; y < shuffled.height(); y++) {
                for (int x = 0; x < shuffled.width(); x++) {
                    int deepChannel = c * ratio * ratio + (y % ratio) * ratio + (x % ratio);
                    int dy = y / ratio;
                    int dx = x / ratio;
                    if (inverse) {
                        copy(spatial, c, y, x, deep, deepChannel, dy, dx);
                    } else {
                        copy(deep, deepChannel, dy, dx, spatial, c, y, x);
                    }
                }
            }
        }
    }

    private static void copy(Tensor from, int c, int y, int x, Tensor to, int tc, int ty, int tx) {
        switch (to) {
            case BitTensor bits -> bits.setValue(tc, ty, tx, from.intValue(c, y, x));
            case IntTensor ints -> ints.set(tc, ty, tx, from.intValue(c, y, x));
            case FloatTensor floats -> floats.set(tc, ty, tx, from.floatValue(c, y, x));
        }
    }

}
