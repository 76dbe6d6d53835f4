package io.bitvision.engine.graph;

import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.IntTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/** Channel concatenation of bit tensors of equal bits (word shifts, no per-bit work) or of int32 tensors. */
public final class ConcatOp implements Op {

    @Override
    public OpType type() {
        return OpType.CONCAT;
    }

    @Override
    public int arity() {
        return -1;
    }

    @Override
    public TensorSpec outputSpec(TensorSpec[] inputs) {
        TensorSpec first = inputs[0];
        Op.require(first.type() != DataType.FLOAT32, "concat takes bit or int32 tensors");
        long channels = 0;
        for (TensorSpec in : inputs) {
            Op.require(in.type() == first.type() && in.bits() == first.bits()
                    && in.height() == first.height() && in.width() == first.width(),
                    "concat inputs differ: " + first + " and " + in);
            channels += in.channels();
        }
        Op.require(channels <= 65535, "concat gives too many channels: " + channels);
        return first.withShape((int) channels, first.height(), first.width());
    }

    @Override
    public void forward(Tensor[] inputs, Tensor output, ExecContext context) {
        TensorSpec out = output.spec();
        int channelOffset = 0;
        for (Tensor in : inputs) {
            if (output instanceof BitTensor dst) {
                orShifted((BitTensor) in, dst, channelOffset);
            } else {
                IntTensor src = (IntTensor) in;
                IntTensor dst = (IntTensor) output;
                int count = in.spec().channels() * out.height() * out.width();
                System.arraycopy(src.data(), src.index(0, 0, 0), dst.data(), dst.index(channelOffset, 0, 0), count);
            }
            channelOffset += in.spec().channels();
        }
    }

    /** ORs the input's words into the output shifted by {@code offset} channels; the output starts zeroed. */
    private static void orShifted(BitTensor src, BitTensor dst, int offset) {
        TensorSpec spec = src.spec();
        int shift = offset & 63;
        int firstWord = offset >>> 6;
        for (int plane = 0; plane < spec.bits(); plane++) {
            for (int word = 0; word < src.channelWords(); word++) {
                int target = firstWord + word;
                boolean spills = shift != 0 && target + 1 < dst.channelWords();
                for (int y = 0; y < spec.height(); y++) {
                    int from = src.index(plane, word, y, 0);
                    int to = dst.index(plane, target, y, 0);
                    int toNext = spills ? dst.index(plane, target + 1, y, 0) : 0;
                    for (int x = 0; x < spec.width(); x++) {
                        long v = src.data()[from + x];
                        dst.data()[to + x] |= v << shift;
                        if (spills) {
                            dst.data()[toNext + x] |= v >>> (64 - shift);
                        }
                    }
                }
            }
        }
    }
}
