package io.bitvision.engine.graph;

import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.IntTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/**
 * Square window pooling. MAX keeps the input type (on binary activations it is an OR of words). SUM gives
 * int32 window sums, padding counted at its padding value: average pooling is SUM whose 1/n the following
 * quantiser's thresholds absorb, so no division runs at inference.
 */
public final class PoolOp implements Op {
    public enum Kind { MAX, SUM }

    private final Kind kind;
    private final int size;
    private final int stride;
    private final int pad;

    public PoolOp(Kind kind, int size, int stride, int pad) {
        Op.require(size >= 1 && size <= 64 && stride >= 1 && stride <= 64 && pad >= 0 && pad < size,
                "pool window " + size + " stride " + stride + " pad " + pad + " out of range");
        this.kind = kind;
        this.size = size;
        this.stride = stride;
        this.pad = pad;
    }

    public Kind kind() {
        return kind;
    }

    public int size() {
        return size;
    }

    public int stride() {
        return stride;
    }

    public int pad() {
        return pad;
    }

    @Override
    public OpType type() {
        return OpType.POOL;
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public TensorSpec outputSpec(TensorSpec[] inputs) {
        TensorSpec in = inputs[0];
        Op.require(in.height() + 2 * pad >= size && in.width() + 2 * pad >= size, "pool window larger than " + in);
        Op.require(kind == Kind.SUM || in.type() == DataType.BITS, "max pool takes bit tensors, got " + in);
        Op.require(pad == 0 || in.type() == DataType.BITS, "padded pooling takes bit tensors, got " + in);
        int outH = (in.height() + 2 * pad - size) / stride + 1;
        int outW = (in.width() + 2 * pad - size) / stride + 1;
        return kind == Kind.MAX ? in.withShape(in.channels(), outH, outW) : TensorSpec.int32(in.channels(), outH, outW);
    }

    @Override
    public int haloY() {
        return pad;
    }

    @Override
    public int haloX() {
        return pad;
    }

    @Override
    public boolean writesWholeWords(TensorSpec[] inputs) {
        return kind == Kind.MAX && inputs[0].isBinary();
    }

    @Override
    public void forward(Tensor[] inputs, Tensor output, ExecContext context) {
        Tensor in = inputs[0];
        TensorSpec out = output.spec();
        if (kind == Kind.MAX && in.spec().isBinary()) {
            maxBinary((BitTensor) in, (BitTensor) output);
            return;
        }
        for (int c = 0; c < out.channels(); c++) {
            for (int y = 0; y < out.height(); y++) {
                for (int x = 0; x < out.width(); x++) {
                    int best = Integer.MIN_VALUE;
                    int sum = 0;
                    for (int dy = 0; dy < size; dy++) {
                        for (int dx = 0; dx < size; dx++) {
                            int v = in.intValue(c, y * stride - pad + dy, x * stride - pad + dx);
                            best = Math.max(best, v);
                            sum += v;
                        }
                    }
                    if (kind == Kind.MAX) {
                        ((BitTensor) output).setValue(c, y, x, best);
                    } else {
                        ((IntTensor) output).set(c, y, x, sum);
                    }
                }
            }
        }
    }

    /** max of +-1 values is the OR of their sign bits; writes whole words. */
    private void maxBinary(BitTensor in, BitTensor out) {
        long[] src = in.data();
        long[] dst = out.data();
        for (int word = 0; word < out.channelWords(); word++) {
            for (int y = 0; y < out.spec().height(); y++) {
                for (int x = 0; x < out.spec().width(); x++) {
                    long v = 0;
                    for (int dy = 0; dy < size; dy++) {
                        int at = in.index(0, word, y * stride - pad + dy, x * stride - pad);
                        for (int dx = 0; dx < size; dx++) {
                            v |= src[at + dx];
                        }
                    }
                    dst[out.index(0, word, y, x)] = v;
                }
            }
        }
    }
}
