package io.bitvision.engine.graph;

import io.bitvision.engine.tensor.Tensor;

/**
 * An operator whose rows are independent: computing rows [from, to) reads only the inputs and the given context's
 * scratch, and writes only the output rows those rows make. The engine may split one frame's rows into bands and
 * run them on several threads, each with a context of its own. Rows are output rows unless {@link #rows} says
 * otherwise (a pixel shuffle works by input rows, each making {@code ratio} output rows).
 */
public interface RowBandOp extends Op {
    /** Whether the rows of this call may be split; some input types take a path that runs the tensor at once. */
    default boolean splitsRows(Tensor[] inputs) {
        return true;
    }

    /** How many rows {@link #forwardRows} counts for these tensors. */
    default int rows(Tensor[] inputs, Tensor output) {
        return output.spec().height();
    }

    /** Computes rows [fromRow, toRow); the engine has cleared the output as {@link #writesWholeWords} asks. */
    void forwardRows(Tensor[] inputs, Tensor output, ExecContext context, int fromRow, int toRow);

    @Override
    default void forward(Tensor[] inputs, Tensor output, ExecContext context) {
        forwardRows(inputs, output, context, 0, rows(inputs, output));
    }
}
