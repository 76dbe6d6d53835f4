package io.bitvision.engine.graph;

import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.IntTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/** Element-wise sum of two bit or int32 tensors of one shape, as int32 values (residual connections). */
public final class AddOp implements Op {

    @Override
    public OpType type() {
        return OpType.ADD;
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public TensorSpec outputSpec(TensorSpec[] inputs) {
        TensorSpec a = inputs[0];
        TensorSpec b = inputs[1];
        Op.require(a.type() != DataType.FLOAT32 && b.type() != DataType.FLOAT32, "add takes bit or int32 tensors");
        Op.require(a.channels() == b.channels() && a.height() == b.height() && a.width() == b.width(),
                "add inputs differ in shape: " + a + " and " + b);
        return TensorSpec.int32(a.channels(), a.height(), a.width());
    }

    @Override
    public void forward(Tensor[] inputs, Tensor output, ExecContext context) {
        IntTensor out = (IntTensor) output;
        TensorSpec spec = out.spec();
        if (inputs[0] instanceof IntTensor a && inputs[1] instanceof IntTensor b) {
            int n = (int) (spec.channels() * spec.pixels());
            int[] dst = out.data();
            int[] left = a.data();
            int[] right = b.data();
            int to = out.index(0, 0, 0);
            int fromA = a.index(0, 0, 0);
            int fromB = b.index(0, 0, 0);
            for (int i = 0; i < n; i++) {
                dst[to + i] = left[fromA + i] + right[fromB + i];
            }
            return;
        }
        for (int c = 0; c < spec.channels(); c++) {
            for (int y = 0; y < spec.height(); y++) {
                for (int x = 0; x < spec.width(); x++) {
                    out.set(c, y, x, inputs[0].intValue(c, y, x) + inputs[1].intValue(c, y, x));
                }
            }
        }
    }
}
