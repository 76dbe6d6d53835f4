package io.bitvision.engine.testing;

import io.bitvision.engine.tensor.BitPacking;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/** Invariants of packed tensors that kernels must keep. */
public final class Checks {
    private Checks() {}

    /** Returns a description of the first nonzero padding bit or halo word, or null when all are zero. */
    public static String dirtyPadding(Tensor tensor) {
        if (!(tensor instanceof BitTensor bits)) {
            return null;
        }
        TensorSpec s = bits.spec();
        long[] data = bits.data();
        for (int plane = 0; plane < s.bits(); plane++) {
            for (int word = 0; word < bits.channelWords(); word++) {
                long invalid = ~BitPacking.validMask(s.channels(), word);
                for (int y = -bits.haloY(); y < s.height() + bits.haloY(); y++) {
                    for (int x = -bits.haloX(); x < s.width() + bits.haloX(); x++) {
                        long v = data[bits.index(plane, word, y, x)];
                        boolean inFrame = y >= 0 && y < s.height() && x >= 0 && x < s.width();
                        if (inFrame ? (v & invalid) != 0 : v != 0) {
                            return (inFrame ? "padding bits" : "halo") + " set at plane " + plane + " word " + word
                                    + " y=" + y + " x=" + x + ": " + Long.toHexString(v);
                        }
                    }
                }
            }
        }
        return null;
    }
}
