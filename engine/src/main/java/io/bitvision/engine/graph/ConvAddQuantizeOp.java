package io.bitvision.engine.graph;

import io.bitvision.engine.kernel.ConvKernel;
import io.bitvision.engine.kernel.OutputTransform;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.IntTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/**
 * A residual block's end in one pass: {@code quantize(conv(a) + second)}, where {@code second} is either another
 * int32 convolution of its own input or an int32 tensor read through a nearest upsampling by {@code factor}. Made
 * at load by {@link GraphFusion} from CONV, [CONV | UPSAMPLE], ADD and QUANTIZE nodes, never stored in a file.
 *
 * <p>Each output row is computed in scratch: one pass turns the convolutions' mismatch counts into their int32
 * values and sums them with int32 wrap-around as {@link AddOp} sums them (int arithmetic is exact modulo 2^32, so
 * {@code offset - (R << shift)} in int equals the long expression cast to int), and the sum is thresholded in the
 * kernel's vector threshold row. No int32 tensor of the sum or of the convolutions is written, which is what
 * shrinks the arena, and the output is the unfused graph's bit for bit.
 */
public final class ConvAddQuantizeOp implements RowBandOp {
    private final ConvOp conv;
    /** The second convolution (input 1 is its bit input), or null when input 1 is an int32 residual. */
    private final ConvOp secondConv;
    private final int residualFactor;
    private final QuantizeOp quantize;
    private final int[] offsets;
    private final int shift;
    /** Of the second convolution; empty for an int32 residual. */
    private final int[] secondOffsets;
    private final int secondShift;

    private ConvAddQuantizeOp(ConvOp conv, ConvOp secondConv, int residualFactor, QuantizeOp quantize) {
        Op.require(conv.transform() instanceof OutputTransform.IntBias, "fused conv must have int32 output");
        Op.require(secondConv == null || secondConv.transform() instanceof OutputTransform.IntBias,
                "fused second conv must have int32 output");
        Op.require(residualFactor >= 1, "residual upsample factor must be positive");
        this.conv = conv;
        this.secondConv = secondConv;
        this.residualFactor = residualFactor;
        this.quantize = quantize;
        this.offsets = conv.accumulatorTransform().intOffsets();
        this.shift = conv.accumulatorTransform().shift();
        this.secondOffsets = secondConv == null ? new int[0] : secondConv.accumulatorTransform().intOffsets();
        this.secondShift = secondConv == null ? 0 : secondConv.accumulatorTransform().shift();
    }

    /** {@code quantize(conv(input 0) + secondConv(input 1))}. */
    public static ConvAddQuantizeOp ofTwoConvs(ConvOp conv, ConvOp secondConv, QuantizeOp quantize) {
        return new ConvAddQuantizeOp(conv, secondConv, 1, quantize);
    }

    /** {@code quantize(conv(input 0) + upsample(input 1, factor))} with an int32 input 1 (factor 1: no upsampling). */
    public static ConvAddQuantizeOp ofResidual(ConvOp conv, int factor, QuantizeOp quantize) {
        return new ConvAddQuantizeOp(conv, null, factor, quantize);
    }

    public ConvOp conv() {
        return conv;
    }

    /** The second convolution, or null when input 1 is an int32 residual. */
    public ConvOp secondConv() {
        return secondConv;
    }

    public int residualFactor() {
        return residualFactor;
    }

    public QuantizeOp quantize() {
        return quantize;
    }

    @Override
    public OpType type() {
        return OpType.CONV_ADD_QUANTIZE;
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public TensorSpec outputSpec(TensorSpec[] inputs) {
        TensorSpec sum = conv.outputSpec(new TensorSpec[] {inputs[0]});
        if (secondConv != null) {
            TensorSpec other = secondConv.outputSpec(new TensorSpec[] {inputs[1]});
            Op.require(other.equals(sum), "fused convolutions differ in output: " + sum + " and " + other);
        } else {
            TensorSpec residual = inputs[1];
            Op.require(residual.type() == DataType.INT32 && residual.channels() == sum.channels()
                            && residual.height() * residualFactor == sum.height()
                            && residual.width() * residualFactor == sum.width(),
                    "residual " + residual + " upsampled by " + residualFactor + " does not match " + sum);
        }
        return quantize.outputSpec(new TensorSpec[] {sum});
    }

    @Override
    public int haloY() {
        return Math.max(conv.haloY(), secondConv == null ? 0 : secondConv.haloY());
    }

    @Override
    public int haloX() {
        return Math.max(conv.haloX(), secondConv == null ? 0 : secondConv.haloX());
    }

    /** A row of every channel: the first convolution's counts, then the negated sums. */
    @Override
    public long scratchLongs(TensorSpec[] inputs, TensorSpec output) {
        return (long) output.channels() * output.width();
    }

    /** The second convolution's row of counts. */
    @Override
    public long secondScratchLongs(TensorSpec[] inputs, TensorSpec output) {
        return secondConv == null ? 0 : (long) output.channels() * output.width();
    }

    @Override
    public boolean writesWholeWords(TensorSpec[] inputs) {
        return true;
    }

    @Override
    public void forwardRows(Tensor[] inputs, Tensor output, ExecContext context, int fromRow, int toRow) {
        BitTensor in = (BitTensor) inputs[0];
        BitTensor out = (BitTensor) output;
        ConvKernel kernel = context.convKernel();
        int width = out.spec().width();
        long[] acc = context.scratch();
        long[] secondAcc = context.secondScratch();
        int channels = out.spec().channels();
        for (int y = fromRow; y < toRow; y++) {
            if (secondConv != null) {
                kernel.accumulateRow((BitTensor) inputs[1], secondConv.weights(), y, width, secondAcc);
                kernel.accumulateRow(in, conv.weights(), y, width, acc);
                for (int c = 0; c < channels; c++) {
                    negatedSumOfConvs(acc, secondAcc, c * width, (c + 1) * width, offsets[c], shift, secondOffsets[c],
                            secondShift);
                }
            } else {
                kernel.accumulateRow(in, conv.weights(), y, width, acc);
                IntTensor residual = (IntTensor) inputs[1];
                for (int c = 0; c < channels; c++) {
                    int from = residual.index(c, y / residualFactor, 0);
                    if (residualFactor == 1) {
                        negatedSumWithResidual(acc, c * width, (c + 1) * width, offsets[c], shift, residual.data(), from);
                    } else {
                        negatedSumWithUpsampled(acc, c * width, width, offsets[c], shift, residual.data(), from);
                    }
                }
            }
            quantize.quantizeNegatedRow(acc, width, out, y, kernel);
        }
    }

    /* One channel's row each; separate methods so that C2 compiles them apart from the row loop (and vectorises). */
    private static void negatedSumOfConvs(long[] acc, long[] secondAcc, int from, int to, int offset, int shift,
            int secondOffset, int secondShift) {
        for (int i = from; i < to; i++) {
            int a = offset - ((int) acc[i] << shift);
            int b = secondOffset - ((int) secondAcc[i] << secondShift);
            acc[i] = -(long) (a + b);
        }
    }

    private static void negatedSumWithResidual(long[] acc, int from, int to, int offset, int shift, int[] residual,
            int residualFrom) {
        int delta = residualFrom - from;
        for (int i = from; i < to; i++) {
            acc[i] = -(long) (offset - ((int) acc[i] << shift) + residual[i + delta]);
        }
    }

    private void negatedSumWithUpsampled(long[] acc, int from, int width, int offset, int shift, int[] residual,
            int residualFrom) {
        for (int x = 0; x < width; x++) {
            acc[from + x] = -(long) (offset - ((int) acc[from + x] << shift) + residual[residualFrom + x / residualFactor]);
        }
    }

    @Override
    public long bitwiseMacs(TensorSpec[] inputs, TensorSpec output) {
        TensorSpec sum = conv.outputSpec(new TensorSpec[] {inputs[0]});
        long macs = conv.bitwiseMacs(new TensorSpec[] {inputs[0]}, sum);
        return secondConv == null ? macs : macs + secondConv.bitwiseMacs(new TensorSpec[] {inputs[1]}, sum);
    }

    @Override
    public long planeMacs(TensorSpec[] inputs, TensorSpec output) {
        TensorSpec sum = conv.outputSpec(new TensorSpec[] {inputs[0]});
        long macs = conv.planeMacs(new TensorSpec[] {inputs[0]}, sum);
        return secondConv == null ? macs : macs + secondConv.planeMacs(new TensorSpec[] {inputs[1]}, sum);
    }
}
