package io.bitvision.engine.graph;

import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.FloatTensor;
import io.bitvision.engine.tensor.IntTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/** Nearest-neighbour upsampling by an integer factor; copies whole words for bit tensors. */
public final class UpsampleOp implements Op {
    private final int factor;

    public UpsampleOp(int factor) {
        Op.require(factor >= 1 && factor <= 64, "upsample factor out of 1..64: " + factor);
        this.factor = factor;
    }

    public int factor() {
        return factor;
    }

    @Override
    public OpType type() {
        return OpType.UPSAMPLE;
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public TensorSpec outputSpec(TensorSpec[] inputs) {
        TensorSpec in = inputs[0];
        return in.withShape(in.channels(), in.height() * factor, in.width() * factor);
    }

    @Override
    public boolean writesWholeWords(TensorSpec[] inputs) {
        return true;
    }

    @Override
    public void forward(Tensor[] inputs, Tensor output, ExecContext context) {
        TensorSpec out = output.spec();
        switch (output) {
            case BitTensor dst -> {
                BitTensor src = (BitTensor) inputs[0];
                for (int plane = 0; plane < out.bits(); plane++) {
                    for (int word = 0; word < dst.channelWords(); word++) {
                        for (int y = 0; y < out.height(); y++) {
                            int from = src.index(plane, word, y / factor, 0);
                            int to = dst.index(plane, word, y, 0);
                            for (int x = 0; x < out.width(); x++) {
                                dst.data()[to + x] = src.data()[from + x / factor];
                            }
                        }
                    }
                }
            }
            case IntTensor dst -> {
                IntTensor src = (IntTensor) inputs[0];
                for (int c = 0; c < out.channels(); c++) {
                    for (int y = 0; y < out.height(); y++) {
                        for (int x = 0; x < out.width(); x++) {
                            dst.set(c, y, x, src.intValue(c, y / factor, x / factor));
                        }
                    }
                }
            }
            case FloatTensor dst -> {
                FloatTensor src = (FloatTensor) inputs[0];
                for (int c = 0; c < out.channels(); c++) {
                    for (int y = 0; y < out.height(); y++) {
                        for (int x = 0; x < out.width(); x++) {
                            dst.set(c, y, x, src.floatValue(c, y / factor, x / factor));
                        }
                    }
                }
            }
        }
    }
}
