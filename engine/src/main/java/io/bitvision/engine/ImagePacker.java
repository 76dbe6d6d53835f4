package io.bitvision.engine;

import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.TensorSpec;

/**
 * Packs 8-bit interleaved pixels (RGB, BGR, gray: whatever the model was trained on) into an 8-plane input
 * tensor: plane j, channel c holds bit j of the byte. The first layer then runs in the bit-serial mode.
 */
public final class ImagePacker {
    private ImagePacker() {}

    /**
     * @param pixels interleaved bytes, {@code height * width * channels} of them, row by row
     */
    public static void pack(byte[] pixels, BitTensor input) {
        TensorSpec spec = input.spec();
        int channels = spec.channels();
        if (spec.bits() != 8 || channels > 64) {
            throw new IllegalArgumentException("image input must be 8-bit with at most 64 channels, model has " + spec);
        }
        int width = spec.width();
        long expected = (long) spec.height() * width * channels;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("image has " + pixels.length + " bytes, model input " + spec
                    + " needs " + expected);
        }
        long[] data = input.data();
        int planeStride = input.planeStride();
        for (int y = 0; y < spec.height(); y++) {
            int row = input.index(0, 0, y, 0);
            int src = y * width * channels;
            for (int x = 0; x < width; x++, src += channels) {
                long p0 = 0, p1 = 0, p2 = 0, p3 = 0, p4 = 0, p5 = 0, p6 = 0, p7 = 0;
                for (int c = 0; c < channels; c++) {
                    long v = pixels[src + c] & 0xFF;
                    p0 |= (v & 1) << c;
                    p1 |= ((v >>> 1) & 1) << c;
                    p2 |= ((v >>> 2) & 1) << c;
                    p3 |= ((v >>> 3) & 1) << c;
                    p4 |= ((v >>> 4) & 1) << c;
                    p5 |= ((v >>> 5) & 1) << c;
                    p6 |= ((v >>> 6) & 1) << c;
                    p7 |= ((v >>> 7) & 1) << c;
                }
                int at = row + x;
                data[at] = p0;
                data[at + planeStride] = p1;
                data[at + 2 * planeStride] = p2;
                data[at + 3 * planeStride] = p3;
                data[at + 4 * planeStride] = p4;
                data[at + 5 * planeStride] = p5;
                data[at + 6 * planeStride] = p6;
                data[at + 7 * planeStride] = p7;
            }
        }
    }
}
