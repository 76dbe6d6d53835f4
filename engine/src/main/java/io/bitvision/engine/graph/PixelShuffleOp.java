package io.bitvision.engine.graph;

import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.FloatTensor;
import io.bitvision.engine.tensor.IntTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/**
 * Pixel shuffle (depth to space) or, with {@code inverse}, unshuffle (space to depth), PyTorch's channel order:
 * shuffled {@code out[c][y*r+dy][x*r+dx] = in[c*r*r + dy*r + dx][y][x]}.
 */
public final class PixelShuffleOp implements RowBandOp {
    private final int ratio;
    private final boolean inverse;

    public PixelShuffleOp(int ratio, boolean inverse) {
        Op.require(ratio >= 1 && ratio <= 16, "shuffle ratio out of 1..16: " + ratio);
        this.ratio = ratio;
        this.inverse = inverse;
    }

    public int ratio() {
        return ratio;
    }

    public boolean inverse() {
        return inverse;
    }

    @Override
    public OpType type() {
        return OpType.PIXEL_SHUFFLE;
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public TensorSpec outputSpec(TensorSpec[] inputs) {
        TensorSpec in = inputs[0];
        int rr = ratio * ratio;
        if (inverse) {
            Op.require(in.height() % ratio == 0 && in.width() % ratio == 0, "unshuffle by " + ratio + " needs sides divisible: " + in);
            return in.withShape(in.channels() * rr, in.height() / ratio, in.width() / ratio);
        }
        Op.require(in.channels() % rr == 0, "shuffle by " + ratio + " needs channels divisible by " + rr + ": " + in);
        return in.withShape(in.channels() / rr, in.height() * ratio, in.width() * ratio);
    }

    private boolean byWords(Tensor in) {
        int rr = ratio * ratio;
        return in instanceof BitTensor && 64 % rr == 0 && rr > 1;
    }

    /** Only the word paths split: by output rows when unshuffling, by input rows when shuffling. */
    @Override
    public boolean splitsRows(Tensor[] inputs) {
        return byWords(inputs[0]);
    }

    @Override
    public int rows(Tensor[] inputs, Tensor output) {
        return inverse ? output.spec().height() : inputs[0].spec().height();
    }

    @Override
    public void forwardRows(Tensor[] inputs, Tensor output, ExecContext context, int fromRow, int toRow) {
        Tensor in = inputs[0];
        if (byWords(in)) {
            if (inverse) {
                unshuffleWords((BitTensor) in, (BitTensor) output, fromRow, toRow);
            } else {
                shuffleWords((BitTensor) in, (BitTensor) output, fromRow, toRow);
            }
            return;
        }
        if (fromRow != 0 || toRow != rows(inputs, output)) {
            throw new IllegalArgumentException("pixel shuffle of " + in.spec() + " runs whole tensors");
        }
        TensorSpec shuffled = inverse ? in.spec() : output.spec();
        Tensor spatial = inverse ? in : output;
        Tensor deep = inverse ? output : in;
        for (int c = 0; c < shuffled.channels(); c++) {
            for (int y = 0; y < shuffled.height(); y++) {
                for (int x = 0; x < shuffled.width(); x++) {
                    int deepChannel = c * ratio * ratio + (y % ratio) * ratio + (x % ratio);
                    int dy = y / ratio;
                    int dx = x / ratio;
                    if (inverse) {
                        copy(spatial, c, y, x, deep, deepChannel, dy, dx);
                    } else {
                        copy(deep, deepChannel, dy, dx, spatial, c, y, x);
                    }
                }
            }
        }
    }

    /** Bit k * rr + phase set for every k: where one phase's channels land in an unshuffled word. */
    private long phaseMask(int phase) {
        int rr = ratio * ratio;
        long mask = 0;
        for (int bit = phase; bit < 64; bit += rr) {
            mask |= 1L << bit;
        }
        return mask;
    }

    /**
     * Space to depth on words: output word k holds input channels [k*n, (k+1)*n) (n = 64 / r^2) of every phase,
     * interleaved; Long.expand (PDEP on x86) spreads each phase's n bits into place.
     */
    private void unshuffleWords(BitTensor in, BitTensor out, int fromRow, int toRow) {
        int rr = ratio * ratio;
        int perWord = 64 / rr;
        long low = perWord == 64 ? -1L : (1L << perWord) - 1;
        TensorSpec spec = out.spec();
        for (int plane = 0; plane < spec.bits(); plane++) {
            for (int word = 0; word < out.channelWords(); word++) {
                int firstChannel = word * perWord;
                int inWord = firstChannel >>> 6;
                int shift = firstChannel & 63;
                for (int phase = 0; phase < rr; phase++) {
                    long mask = phaseMask(phase);
                    int dy = phase / ratio;
                    int dx = phase % ratio;
                    for (int y = fromRow; y < toRow; y++) {
                        int from = in.index(plane, inWord, y * ratio + dy, dx);
                        int to = out.index(plane, word, y, 0);
                        for (int x = 0; x < spec.width(); x++) {
                            long bits = (in.data()[from + x * ratio] >>> shift) & low;
                            long spread = Long.expand(bits, mask);
                            out.data()[to + x] = phase == 0 ? spread : out.data()[to + x] | spread;
                        }
                    }
                }
            }
        }
    }

    /** Depth to space on words: Long.compress (PEXT) gathers one phase's channels from each input word. */
    private void shuffleWords(BitTensor in, BitTensor out, int fromRow, int toRow) {
        int rr = ratio * ratio;
        int perWord = 64 / rr;
        TensorSpec spec = in.spec();
        for (int plane = 0; plane < spec.bits(); plane++) {
            for (int word = 0; word < in.channelWords(); word++) {
                int firstChannel = word * perWord;
                int outWord = firstChannel >>> 6;
                int shift = firstChannel & 63;
                for (int phase = 0; phase < rr; phase++) {
                    long mask = phaseMask(phase);
                    int dy = phase / ratio;
                    int dx = phase % ratio;
                    for (int y = fromRow; y < toRow; y++) {
                        int from = in.index(plane, word, y, 0);
                        int to = out.index(plane, outWord, y * ratio + dy, dx);
                        for (int x = 0; x < spec.width(); x++) {
                            long bits = Long.compress(in.data()[from + x], mask) << shift;
                            int at = to + x * ratio;
                            out.data()[at] = shift == 0 ? bits : out.data()[at] | bits;
                        }
                    }
                }
            }
        }
    }

    private static void copy(Tensor from, int c, int y, int x, Tensor to, int tc, int ty, int tx) {
        switch (to) {
            case BitTensor bits -> bits.setValue(tc, ty, tx, from.intValue(c, y, x));
            case IntTensor ints -> ints.set(tc, ty, tx, from.intValue(c, y, x));
            case FloatTensor floats -> floats.set(tc, ty, tx, from.floatValue(c, y, x));
        }
    }

}
