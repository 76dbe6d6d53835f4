package io.bitvision.engine.graph;

import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/**
 * Packs each output position's receptive field into channels (im2col on bits):
 * {@code out[tap * C + c][y][x] = in[c][y*strideH - padH + ky*dilationH][x*strideW - padW + kx*dilationW]} with
 * {@code tap = ky * kernelW + kx}. A k x k convolution with stride s equals this followed by a 1 x 1 convolution
 * with the same canonical weights, bit for bit; that form runs on the fast dense kernel, which is what layers
 * with few input channels (the 3-channel stem) or a horizontal stride need.
 */
public final class PatchPackOp implements RowBandOp {
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final int padH;
    private final int padW;
    private final int dilationH;
    private final int dilationW;

    public PatchPackOp(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, int dilationH, int dilationW) {
        Op.require(kernelH >= 1 && kernelW >= 1 && kernelH <= 16 && kernelW <= 16, "patch kernel out of 1..16");
        Op.require(strideH >= 1 && strideW >= 1 && strideH <= 16 && strideW <= 16, "patch stride out of 1..16");
        Op.require(padH >= 0 && padW >= 0 && padH <= 16 && padW <= 16, "patch padding out of 0..16");
        Op.require(dilationH >= 1 && dilationW >= 1 && dilationH <= 16 && dilationW <= 16, "patch dilation out of 1..16");
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padH = padH;
        this.padW = padW;
        this.dilationH = dilationH;
        this.dilationW = dilationW;
    }

    public int[] parameters() {
        return new int[] {kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW};
    }

    /**
     * Whether this patch pack, as a model's first layer over {@code image}, can be packed straight from pixels by
     * {@link io.bitvision.engine.PatchImagePacker}: an 8-bit image of at most 8 channels whose patch fits one word.
     */
    public boolean packsImageDirectly(TensorSpec image) {
        return image.bits() == 8 && image.channels() <= 8 && (long) image.channels() * kernelH * kernelW <= 64;
    }

    @Override
    public OpType type() {
        return OpType.PATCH_PACK;
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public TensorSpec outputSpec(TensorSpec[] inputs) {
        TensorSpec in = inputs[0];
        Op.require(in.type() == DataType.BITS, "patch pack takes bit tensors, got " + in);
        int spanH = in.height() + 2 * padH - dilationH * (kernelH - 1) - 1;
        int spanW = in.width() + 2 * padW - dilationW * (kernelW - 1) - 1;
        Op.require(spanH >= 0 && spanW >= 0, "patch kernel does not fit " + in);
        long channels = (long) in.channels() * kernelH * kernelW;
        Op.require(channels <= TensorSpec.MAX_DIMENSION, "patch pack gives too many channels: " + channels);
        return in.withShape((int) channels, spanH / strideH + 1, spanW / strideW + 1);
    }

    @Override
    public int haloY() {
        return padH;
    }

    @Override
    public int haloX() {
        return padW;
    }

    @Override
    public boolean writesWholeWords(TensorSpec[] inputs) {
        return inputs[0].channels() * kernelH * kernelW <= 64;
    }

    /** The whole patch fits one word (a stem over few channels): build each output word in a register. */
    private void packSingleWord(BitTensor in, BitTensor out, int fromRow, int toRow) {
        int channels = in.spec().channels();
        long[] src = in.data();
        long[] dst = out.data();
        int outW = out.spec().width();
        int rowStep = dilationH * in.rowStride();
        for (int plane = 0; plane < in.spec().bits(); plane++) {
            for (int y = fromRow; y < toRow; y++) {
                int from = in.index(plane, 0, y * strideH - padH, -padW);
                int to = out.index(plane, 0, y, 0);
                for (int x = 0; x < outW; x++) {
                    int at = from + x * strideW;
                    long word = 0;
                    int shift = 0;
                    for (int ky = 0; ky < kernelH; ky++) {
                        int rowAt = at + ky * rowStep;
                        for (int kx = 0; kx < kernelW; kx++, shift += channels) {
                            word |= src[rowAt + kx * dilationW] << shift;
                        }
                    }
                    dst[to + x] = word;
                }
            }
        }
    }

    @Override
    public void forwardRows(Tensor[] inputs, Tensor output, ExecContext context, int fromRow, int toRow) {
        BitTensor in = (BitTensor) inputs[0];
        BitTensor out = (BitTensor) output;
        int channels = in.spec().channels();
        int outW = out.spec().width();
        long[] src = in.data();
        long[] dst = out.data();
        if (out.channelWords() == 1) {
            packSingleWord(in, out, fromRow, toRow);
            return;
        }
        for (int plane = 0; plane < in.spec().bits(); plane++) {
            for (int tap = 0; tap < kernelH * kernelW; tap++) {
                int ky = tap / kernelW;
                int kx = tap % kernelW;
                for (int word = 0; word < in.channelWords(); word++) {
                    int offset = tap * channels + word * 64;
                    int target = offset >>> 6;
                    int shift = offset & 63;
                    boolean spills = shift != 0 && target + 1 < out.channelWords();
                    for (int y = fromRow; y < toRow; y++) {
                        int from = in.index(plane, word, y * strideH - padH + ky * dilationH, -padW + kx * dilationW);
                        int to = out.index(plane, target, y, 0);
                        int toNext = spills ? out.index(plane, target + 1, y, 0) : 0;
                        for (int x = 0; x < outW; x++) {
                            long v = src[from + x * strideW];
                            dst[to + x] |= v << shift;
                            if (spills) {
                                dst[toNext + x] |= v >>> (64 - shift);
                            }
                        }
                    }
                }
            }
        }
    }
}
