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

    public QuantizeOp(OutputTransform transform) {
        Op.require(transform instanceof OutputTransform.BinaryThreshold || transform instanceof OutputTransform.MultiThreshold,
                "quantize needs a threshold transform, not " + transform.getClass().getSimpleName());
        this.transform = transform;
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

    @Override
    public void forward(Tensor[] inputs, Tensor output, ExecContext context) {
        IntTensor in = (IntTensor) inputs[0];
        BitTensor out = (BitTensor) output;
        TensorSpec spec = out.spec();
        for (int c = 0; c < spec.channels(); c++) {
            for (int y = 0; y < spec.height(); y++) {
                for (int x = 0; x < spec.width(); x++) {
                    out.setValue(c, y, x, level(c, in.intValue(c, y, x)));
                }
            }
        }
    }

    private int level(int channel, int value) {
        if (transform instanceof OutputTransform.BinaryThreshold t) {
            boolean on = t.descending()[channel] ? value <= t.thresholds()[channel] : value >= t.thresholds()[channel];
            return on ? 1 : -1;
        }
        OutputTransform.MultiThreshold t = (OutputTransform.MultiThreshold) transform;
        int levels = OutputTransform.MultiThreshold.levels(t.bits());
        boolean descending = t.descending()[channel];
        int count = 0;
        for (int i = channel * levels; i < (channel + 1) * levels; i++) {
            count += (descending ? value <= t.thresholds()[i] : value >= t.thresholds()[i]) ? 1 : 0;
        }
        return count;
    }
}
