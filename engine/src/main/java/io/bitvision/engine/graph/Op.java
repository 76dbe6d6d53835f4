package io.bitvision.engine.graph;

import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/** One operator of the graph: shape rule, padding it reads, scratch it needs, and the computation. */
public interface Op {
    OpType type();

    /** Number of inputs, or -1 for any number (at least one). */
    int arity();

    /** Output type and shape for these inputs; IllegalArgumentException when they do not fit. */
    TensorSpec outputSpec(TensorSpec[] inputs);

    /** Rows of padding this operator reads around its bit-tensor inputs (their halo must be at least this). */
    default int haloY() {
        return 0;
    }

    default int haloX() {
        return 0;
    }

    /** longs of scratch the operator needs while it runs. */
    default long scratchLongs(TensorSpec[] inputs, TensorSpec output) {
        return 0;
    }

    /**
     * longs of a second scratch array: operators that combine two rows of accumulators keep them in separate arrays,
     * since C2 does not vectorise a loop that reads one array at an unknown offset from where it writes.
     */
    default long secondScratchLongs(TensorSpec[] inputs, TensorSpec output) {
        return 0;
    }

    /** floats of scratch the operator needs while it runs. */
    default long scratchFloats(TensorSpec[] inputs, TensorSpec output) {
        return 0;
    }

    /**
     * Whether forward writes every word of a bit-tensor output, padding bits included. When false the engine
     * zeroes the output before forward.
     */
    default boolean writesWholeWords(TensorSpec[] inputs) {
        return false;
    }

    void forward(Tensor[] inputs, Tensor output, ExecContext context);

    /** Multiply-accumulates done with bitwise operations. */
    default long bitwiseMacs(TensorSpec[] inputs, TensorSpec output) {
        return 0;
    }

    /**
     * Bitwise MACs times the bit-planes each is computed over: what the kernels actually do (a 2-bit activation is
     * two XOR-popcount passes). Equal to {@link #bitwiseMacs} for binary inputs.
     */
    default long planeMacs(TensorSpec[] inputs, TensorSpec output) {
        return bitwiseMacs(inputs, output);
    }

    /** Multiplies (or multiply-accumulates) done in float or integer arithmetic. */
    default long otherMacs(TensorSpec[] inputs, TensorSpec output) {
        return 0;
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
