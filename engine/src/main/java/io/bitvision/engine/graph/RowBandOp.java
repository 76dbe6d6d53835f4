package io.bitvision.engine.graph;

import io.bitvision.engine.tensor.Tensor;

/**
 * An operator whose output rows are independent: computing rows [from, to) reads only the inputs and the given
 * context's scratch, and writes only those rows of the output. The engine may split one frame's rows into bands and
 * run them on several threads, each with a context of its own.
 */
public interface RowBandOp extends Op {
    /** Whether the rows of this call may be split; some input types take a path that runs the tensor at once. */
    default boolean splitsRows(Tensor[] inputs) {
        return true;
    }

    /** Computes output rows [fromRow, toRow); the engine has cleared the output as {@link #writesWholeWords} asks. */
    void forwardRows(Tensor[] inputs, Tensor output, ExecContext context, int fromRow, int toRow);

    @Override
    default void forward(Tensor[] inputs, Tensor output, ExecContext context) {
        forwardRows(inputs, output, context, 0, output.spec().height());
    }
}
