package io.bitvision.engine.graph;

import io.bitvision.engine.kernel.AccumulatorTransform;
import io.bitvision.engine.kernel.BinaryConvWeights;
import io.bitvision.engine.kernel.ConvGeometry;
import io.bitvision.engine.kernel.DepthwiseThresholdKernel;
import io.bitvision.engine.kernel.OutputTransform;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/**
 * Binary-weight convolution in either operation mode: binary x binary (input bits = 1, XOR-popcount) or
 * binary x k-bit (input bits = k, bit-serial: one XOR-popcount pass per bit-plane, shifted and added). Covers
 * k x k, strip (1 x k, k x 1), pointwise, strided, dilated, grouped and depthwise convolutions.
 */
public final class ConvOp implements RowBandOp {
    /** Keeps every dot product and its transforms inside int range. */
    private static final long MAX_DOT = 1L << 30;

    private final int inputBits;
    private final BinaryConvWeights weights;
    private final OutputTransform transform;
    private final AccumulatorTransform accumulatorTransform;
    /** Bit-sliced path for depthwise layers with threshold outputs; null for every other layer. */
    private final DepthwiseThresholdKernel depthwise;

    public ConvOp(int inputBits, BinaryConvWeights weights, OutputTransform transform) {
        ConvGeometry g = weights.geometry();
        Op.require(inputBits >= 1 && inputBits <= TensorSpec.MAX_BITS, "conv input bits must be 1.." + TensorSpec.MAX_BITS);
        Op.require(transform.channels() == g.outChannels(),
                "transform has " + transform.channels() + " channels, conv has " + g.outChannels());
        long levels = (1L << inputBits) - 1;
        Op.require(g.macsPerOutput() * levels < MAX_DOT, "conv too large for int32 accumulators");
        this.inputBits = inputBits;
        this.weights = weights;
        this.transform = transform;
        long[] base = new long[g.outChannels()];
        for (int o = 0; o < base.length; o++) {
            base[o] = inputBits == 1 ? g.macsPerOutput() : levels * weights.positiveCount(o);
        }
        this.accumulatorTransform = new AccumulatorTransform(transform, base, inputBits == 1 ? 1 : 0);
        this.depthwise = accumulatorTransform.depthwiseKernel(weights, inputBits);
    }

    public int inputBits() {
        return inputBits;
    }

    public BinaryConvWeights weights() {
        return weights;
    }

    public ConvGeometry geometry() {
        return weights.geometry();
    }

    public OutputTransform transform() {
        return transform;
    }

    /** The transform as the kernels apply it: limits on the mismatch count. */
    public AccumulatorTransform accumulatorTransform() {
        return accumulatorTransform;
    }

    @Override
    public OpType type() {
        return OpType.CONV;
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public TensorSpec outputSpec(TensorSpec[] inputs) {
        TensorSpec in = inputs[0];
        ConvGeometry g = geometry();
        Op.require(in.type() == DataType.BITS && in.bits() == inputBits,
                "conv expects " + inputBits + "-bit input, got " + in);
        Op.require(in.channels() == g.inChannels(), "conv expects " + g.inChannels() + " channels, got " + in);
        Op.require(g.fitsInput(in.height(), in.width()), "conv kernel does not fit input " + in);
        return transform.outputSpec(g.outHeight(in.height()), g.outWidth(in.width()));
    }

    @Override
    public int haloY() {
        return geometry().padH();
    }

    @Override
    public int haloX() {
        return geometry().padW();
    }

    @Override
    public long scratchLongs(TensorSpec[] inputs, TensorSpec output) {
        long generic = (long) geometry().outChannels() * output.width();
        return depthwise == null ? generic : Math.max(generic, depthwise.scratchLongs(output.width()));
    }

    @Override
    public boolean writesWholeWords(TensorSpec[] inputs) {
        return true;
    }

    @Override
    public void forwardRows(Tensor[] inputs, Tensor output, ExecContext context, int fromRow, int toRow) {
        BitTensor in = (BitTensor) inputs[0];
        int outW = output.spec().width();
        long[] acc = context.scratch();
        if (depthwise != null) {
            for (int y = fromRow; y < toRow; y++) {
                context.convKernel().depthwiseRow(depthwise, in, (BitTensor) output, y, acc);
            }
            return;
        }
        for (int y = fromRow; y < toRow; y++) {
            context.convKernel().accumulateRow(in, weights, y, outW, acc);
            accumulatorTransform.applyRow(acc, outW, y, output, context.convKernel());
        }
    }

    @Override
    public long bitwiseMacs(TensorSpec[] inputs, TensorSpec output) {
        return output.channels() * output.pixels() * geometry().macsPerOutput();
    }

    @Override
    public long planeMacs(TensorSpec[] inputs, TensorSpec output) {
        return bitwiseMacs(inputs, output) * inputBits;
    }

    @Override
    public long otherMacs(TensorSpec[] inputs, TensorSpec output) {
        return transform instanceof OutputTransform.FloatAffine ? output.channels() * output.pixels() : 0;
    }
}
