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
 * <p>Each output row is computed in scratch: the convolutions' mismatch counts become their int32 values there,
 * the two are summed with int32 wrap-around as {@link AddOp} sums them, and the sum is thresholded in the
 * kernel's vector threshold row. No int32 tensor of the sum or of the convolutions is written, which is what
 * shrinks the arena, and the output is the unfused graph's bit for bit.
 */
public final class ConvAddQuantizeOp implements Op {
    private final ConvOp conv;
    /** The second convolution (input 1 is its bit input), or null when input 1 is an int32 residual. */
    private final ConvOp secondConv;
    private final int residualFactor;
    private final QuantizeOp quantize;

    private ConvAddQuantizeOp(ConvOp conv, ConvOp secondConv, int residualFactor, QuantizeOp quantize) {
        Op.require(conv.transform() instanceof OutputTransform.IntBias, "fused conv must have int32 output");
        Op.require(secondConv == null || secondConv.transform() instanceof OutputTransform.IntBias,
                "fused second conv must have int32 output");
        Op.require(residualFactor >= 1, "residual upsample factor must be positive");
        this.conv = conv;
        this.secondConv = secondConv;
        this.residualFactor = residualFactor;
        this.quantize = quantize;
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

    /** Two rows of every channel: the first input's values, then the second's, summed into the first. */
    @Override
    public long scratchLongs(TensorSpec[] inputs, TensorSpec output) {
        return 2L * output.channels() * output.width();
    }

    @Override
    public boolean writesWholeWords(TensorSpec[] inputs) {
        return true;
    }

    @Override
    public void forward(Tensor[] inputs, Tensor output, ExecContext context) {
        BitTensor in = (BitTensor) inputs[0];
        BitTensor out = (BitTensor) output;
        ConvKernel kernel = context.convKernel();
        int width = out.spec().width();
        int rowLongs = out.spec().channels() * width;
        long[] acc = context.scratch();
        for (int y = 0; y < out.spec().height(); y++) {
            if (secondConv != null) {
                kernel.accumulateRow((BitTensor) inputs[1], secondConv.weights(), y, width, acc);
                secondConv.accumulatorTransform().toIntValues(acc, width);
                System.arraycopy(acc, 0, acc, rowLongs, rowLongs);
            } else {
                residualRow((IntTensor) inputs[1], y, width, acc, rowLongs);
            }
            kernel.accumulateRow(in, conv.weights(), y, width, acc);
            conv.accumulatorTransform().toIntValues(acc, width);
            for (int i = 0; i < rowLongs; i++) {
                acc[i] = -(long) ((int) acc[i] + (int) acc[rowLongs + i]);
            }
            quantize.quantizeNegatedRow(acc, width, out, y, kernel);
        }
    }

    private void residualRow(IntTensor residual, int y, int width, long[] acc, int at) {
        int[] src = residual.data();
        int channels = residual.spec().channels();
        for (int c = 0; c < channels; c++) {
            int from = residual.index(c, y / residualFactor, 0);
            int to = at + c * width;
            if (residualFactor == 1) {
                for (int x = 0; x < width; x++) {
                    acc[to + x] = src[from + x];
                }
            } else {
                for (int x = 0; x < width; x++) {
                    acc[to + x] = src[from + x / residualFactor];
                }
            }
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
