package io.bitvision.engine.graph;

import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.IntTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/** Global sum pooling to int32 [C x 1 x 1]; a global average is this sum with 1/(H*W) folded downstream. */
public final class GlobalPoolOp implements Op {

    @Override
    public OpType type() {
        return OpType.GLOBAL_POOL;
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public TensorSpec outputSpec(TensorSpec[] inputs) {
        TensorSpec in = inputs[0];
        Op.require(in.type() != DataType.FLOAT32, "global pool takes bit or int32 tensors");
        return TensorSpec.int32(in.channels(), 1, 1);
    }

    @Override
    public void forward(Tensor[] inputs, Tensor output, ExecContext context) {
        Tensor in = inputs[0];
        TensorSpec spec = in.spec();
        for (int c = 0; c < spec.channels(); c++) {
            int sum = 0;
            for (int y = 0; y < spec.height(); y++) {
                for (int x = 0; x < spec.width(); x++) {
                    sum += in.intValue(c, y, x);
                }
            }
            ((IntTensor) output).set(c, 0, 0, sum);
        }
    }
}
