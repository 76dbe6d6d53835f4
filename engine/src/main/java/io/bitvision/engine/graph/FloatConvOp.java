package io.bitvision.engine.graph;

import io.bitvision.engine.kernel.ConvKernel;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.FloatTensor;
import io.bitvision.engine.tensor.IntTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/**
 * The float tail: a pointwise (1 x 1) convolution with float weights over any input, to float32. Sums run over
 * input channels in ascending order from 0, then the bias is added, so results are reproducible bit for bit.
 */
public final class FloatConvOp implements RowBandOp {
    private final int inChannels;
    private final int outChannels;
    private final float[] weights;
    private final float[] bias;

    public FloatConvOp(int inChannels, int outChannels, float[] weights, float[] bias) {
        Op.require(inChannels >= 1 && outChannels >= 1, "channels must be positive");
        Op.require(weights.length == (long) inChannels * outChannels && bias.length == outChannels,
                "float conv expects " + inChannels * outChannels + " weights and " + outChannels + " biases");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.weights = weights.clone();
        this.bias = bias.clone();
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public float weight(int out, int in) {
        return weights[out * inChannels + in];
    }

    public float bias(int out) {
        return bias[out];
    }

    @Override
    public OpType type() {
        return OpType.FLOAT_CONV;
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public TensorSpec outputSpec(TensorSpec[] inputs) {
        TensorSpec in = inputs[0];
        Op.require(in.channels() == inChannels, "float conv expects " + inChannels + " channels, got " + in);
        return TensorSpec.float32(outChannels, in.height(), in.width());
    }

    @Override
    public boolean splitsRows(Tensor[] inputs) {
        return inputs[0] instanceof BitTensor;
    }

    @Override
    public void forwardRows(Tensor[] inputs, Tensor output, ExecContext context, int fromRow, int toRow) {
        Tensor in = inputs[0];
        FloatTensor out = (FloatTensor) output;
        if (in instanceof BitTensor bits) {
            forwardBits(bits, out, context.floatScratch(), context.convKernel(), fromRow, toRow);
            return;
        }
        if (fromRow != 0 || toRow != out.spec().height()) {
            throw new IllegalArgumentException("float conv over " + in.spec() + " runs whole tensors");
        }
        if (in instanceof IntTensor ints) {
            forwardInts(ints, out);
            return;
        }
        TensorSpec spec = out.spec();
        for (int o = 0; o < outChannels; o++) {
            for (int y = 0; y < spec.height(); y++) {
                for (int x = 0; x < spec.width(); x++) {
                    float sum = 0f;
                    for (int c = 0; c < inChannels; c++) {
                        sum += weights[o * inChannels + c] * in.floatValue(c, y, x);
                    }
                    out.set(o, y, x, sum + bias[o]);
                }
            }
        }
    }

    /**
     * Same sums in the same order, a row at a time: the row's input values are unpacked once into float rows, then
     * each output row is the kernel's {@link ConvKernel#weightedSumRow} of them (separate multiply and add in input
     * order, so the rounding is the scalar loop's).
     */
    private void forwardBits(BitTensor in, FloatTensor out, float[] values, ConvKernel kernel, int fromRow, int toRow) {
        int width = out.spec().width();
        float[] dst = out.data();
        for (int y = fromRow; y < toRow; y++) {
            unpackRow(in, y, width, values);
            for (int o = 0; o < outChannels; o++) {
                kernel.weightedSumRow(weights, o * inChannels, inChannels, values, width, bias[o], dst, out.index(o, y, 0));
            }
        }
    }

    /*
     * The row steps are methods of their own, called per row: one call over the whole tensor would run in
     * on-stack-replacement code, which C2 does not vectorise (FACTS.md).
     */
    private void unpackRow(BitTensor in, int y, int width, float[] values) {
        long[] src = in.data();
        int planes = in.spec().bits();
        boolean binary = in.spec().isBinary();
        for (int c = 0; c < inChannels; c++) {
            int to = c * width;
            int bit = c & 63;
            if (binary) {
                // Binary activations are -1 / +1.
                int from = in.index(0, c >>> 6, y, 0);
                for (int x = 0; x < width; x++) {
                    values[to + x] = (int) ((src[from + x] >>> bit) & 1) * 2 - 1;
                }
                continue;
            }
            for (int plane = 0; plane < planes; plane++) {
                int from = in.index(plane, c >>> 6, y, 0);
                float weight = 1 << plane;
                for (int x = 0; x < width; x++) {
                    float v = (int) ((src[from + x] >>> bit) & 1) * weight;
                    values[to + x] = plane == 0 ? v : values[to + x] + v;
                }
            }
        }
    }

    @Override
    public long scratchFloats(TensorSpec[] inputs, TensorSpec output) {
        return inputs[0].type() == DataType.BITS ? (long) inChannels * output.width() : 0;
    }

    /** Same sums in the same order, reading int32 rows directly: the usual head input. */
    private void forwardInts(IntTensor in, FloatTensor out) {
        int pixels = (int) out.spec().pixels();
        int[] src = in.data();
        float[] dst = out.data();
        for (int o = 0; o < outChannels; o++) {
            int to = out.index(o, 0, 0);
            java.util.Arrays.fill(dst, to, to + pixels, 0f);
            for (int c = 0; c < inChannels; c++) {
                float w = weights[o * inChannels + c];
                int from = in.index(c, 0, 0);
                for (int p = 0; p < pixels; p++) {
                    dst[to + p] += w * src[from + p];
                }
            }
            float b = bias[o];
            for (int p = 0; p < pixels; p++) {
                dst[to + p] += b;
            }
        }
    }

    @Override
    public long otherMacs(TensorSpec[] inputs, TensorSpec output) {
        return output.pixels() * outChannels * inChannels;
    }
}
