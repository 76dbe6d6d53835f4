package io.bitvision.engine.graph;

import io.bitvision.engine.kernel.OutputTransform;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.IntTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/**
 * The quantiser after an int32 value (a residual sum, a pooled sum): per-channel thresholds to a binary
 * activation, or 2^k - 1 thresholds to a k-bit one. Compares and additions only.
 */
public final class QuantizeOp implements Op {
    private final OutputTransform transform;
    /** Channel-major thresholds (one per channel for binary outputs) and directions, read by forward. */
    private final int[] thresholds;
    private final boolean[] descending;

    public QuantizeOp(OutputTransform transform) {
        Op.require(transform instanceof OutputTransform.BinaryThreshold || transform instanceof OutputTransform.MultiThreshold,
                "quantize needs a threshold transform, not " + transform.getClass().getSimpleName());
        this.transform = transform;
        if (transform instanceof OutputTransform.BinaryThreshold t) {
            this.thresholds = t.thresholds().clone();
            this.descending = t.descending().clone();
        } else {
            OutputTransform.MultiThreshold t = (OutputTransform.MultiThreshold) transform;
            this.thresholds = t.thresholds().clone();
            this.descending = t.descending().clone();
        }
    }

    public OutputTransform transform() {
        return transform;
    }

    @Override
    public OpType type() {
        return OpType.QUANTIZE;
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public TensorSpec outputSpec(TensorSpec[] inputs) {
        TensorSpec in = inputs[0];
        Op.require(in.type() == DataType.INT32, "quantize takes int32 input, got " + in);
        Op.require(in.channels() == transform.channels(), "quantize has " + transform.channels() + " channels, input " + in);
        return transform.outputSpec(in.height(), in.width());
    }

    /**
     * Channel by channel over contiguous int32 rows, OR-ing each level's bits into the (cleared) output words: one
     * threshold pass per value and no per-element bit-tensor calls.
     */
    @Override
    public void forward(Tensor[] inputs, Tensor output, ExecContext context) {
        IntTensor in = (IntTensor) inputs[0];
        BitTensor out = (BitTensor) output;
        TensorSpec spec = out.spec();
        int[] src = in.data();
        long[] dst = out.data();
        int planes = spec.bits();
        int planeStride = out.planeStride();
        int levels = thresholds.length / descending.length;
        for (int c = 0; c < spec.channels(); c++) {
            int shift = c & 63;
            int first = c * levels;
            boolean down = descending[c];
            for (int y = 0; y < spec.height(); y++) {
                int from = in.index(c, y, 0);
                int to = out.index(0, c >>> 6, y, 0);
                for (int x = 0; x < spec.width(); x++) {
                    int v = src[from + x];
                    int level = 0;
                    for (int i = first; i < first + levels; i++) {
                        level += (down ? v <= thresholds[i] : v >= thresholds[i]) ? 1 : 0;
                    }
                    int at = to + x;
                    for (int plane = 0; plane < planes; plane++, at += planeStride) {
                        dst[at] |= (long) ((level >>> plane) & 1) << shift;
                    }
                }
            }
        }
    }
}
