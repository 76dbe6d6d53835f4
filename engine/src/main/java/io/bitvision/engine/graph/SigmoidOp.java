package io.bitvision.engine.graph;

import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.FloatTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/** Logistic sigmoid on float32: scores and instance activation maps of heads. */
public final class SigmoidOp implements Op {

    @Override
    public OpType type() {
        return OpType.SIGMOID;
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public TensorSpec outputSpec(TensorSpec[] inputs) {
        Op.require(inputs[0].type() == DataType.FLOAT32, "sigmoid takes float32, got " + inputs[0]);
        return inputs[0];
    }

    @Override
    public void forward(Tensor[] inputs, Tensor output, ExecContext context) {
        FloatTensor in = (FloatTensor) inputs[0];
        FloatTensor out = (FloatTensor) output;
        TensorSpec spec = out.spec();
        for (int c = 0; c < spec.channels(); c++) {
            for (int y = 0; y < spec.height(); y++) {
                for (int x = 0; x < spec.width(); x++) {
                    out.set(c, y, x, (float) (1.0 / (1.0 + Math.exp(-in.floatValue(c, y, x)))));
                }
            }
        }
    }
}
