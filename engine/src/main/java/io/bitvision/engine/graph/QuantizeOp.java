package io.bitvision.engine.graph;

import io.bitvision.engine.kernel.ConvKernel;
import io.bitvision.engine.kernel.OutputTransform;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.IntTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/**
 * The quantiser after an int32 value (a residual sum, a pooled sum): per-channel thresholds to a binary
 * activation, or 2^k - 1 thresholds to a k-bit one. Compares and additions only.
 *
 * <p>The thresholds are moved once into the domain of the kernels' threshold rows, which count how many limits an
 * accumulator does not exceed: with {@code R = -v}, {@code v >= t} is {@code R <= -t} and {@code v <= t} is
 * {@code not (R <= -t - 1)}. So a row of negated values goes through {@link ConvKernel#thresholdRow}, the same
 * vector code that ends every threshold convolution, and {@link ConvAddQuantizeOp} can quantise a residual sum
 * while it is still in the scratch row.
 */
public final class QuantizeOp implements RowBandOp {
    private final OutputTransform transform;
    private final long[] limits;
    private final long[] inverts;
    private final int levels;

    public QuantizeOp(OutputTransform transform) {
        Op.require(transform instanceof OutputTransform.BinaryThreshold || transform instanceof OutputTransform.MultiThreshold,
                "quantize needs a threshold transform, not " + transform.getClass().getSimpleName());
        this.transform = transform;
        int[] thresholds;
        boolean[] descending;
        if (transform instanceof OutputTransform.BinaryThreshold t) {
            thresholds = t.thresholds();
            descending = t.descending();
        } else {
            OutputTransform.MultiThreshold t = (OutputTransform.MultiThreshold) transform;
            thresholds = t.thresholds();
            descending = t.descending();
        }
        levels = thresholds.length / descending.length;
        limits = new long[thresholds.length];
        inverts = new long[thresholds.length];
        for (int i = 0; i < thresholds.length; i++) {
            boolean down = descending[i / levels];
            limits[i] = down ? -(long) thresholds[i] - 1 : -(long) thresholds[i];
            inverts[i] = down ? 0 : 1;
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

    @Override
    public long scratchLongs(TensorSpec[] inputs, TensorSpec output) {
        return (long) output.channels() * output.width();
    }

    @Override
    public boolean writesWholeWords(TensorSpec[] inputs) {
        return true;
    }

    @Override
    public void forwardRows(Tensor[] inputs, Tensor output, ExecContext context, int fromRow, int toRow) {
        IntTensor in = (IntTensor) inputs[0];
        BitTensor out = (BitTensor) output;
        TensorSpec spec = out.spec();
        int width = spec.width();
        int[] src = in.data();
        long[] row = context.scratch();
        for (int y = fromRow; y < toRow; y++) {
            for (int c = 0; c < spec.channels(); c++) {
                int from = in.index(c, y, 0);
                int to = c * width;
                for (int x = 0; x < width; x++) {
                    row[to + x] = -(long) src[from + x];
                }
            }
            quantizeNegatedRow(row, width, out, y, context.convKernel());
        }
    }

    /** Writes output row {@code y} from {@code negated[c * width + x] = -value}; every word of the row. */
    void quantizeNegatedRow(long[] negated, int width, BitTensor out, int y, ConvKernel kernel) {
        kernel.thresholdRow(negated, width, limits, inverts, levels, out, y);
    }
}
