package io.bitvision.engine;

import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.TensorSpec;

/**
 * Packs 8-bit interleaved pixels (RGB, BGR, gray: whatever the model was trained on) into an 8-plane input
 * tensor: plane j, channel c holds bit j of the byte. The first layer then runs in the bit-serial mode.
 */
public final class ImagePacker {
    /** SPREAD[b] has bit j of byte b at bit 8j: OR-ing SPREAD[v_c] << c gives, in byte j, plane j's channel bits. */
    private static final long[] SPREAD = new long[256];

    static {
        for (int b = 0; b < 256; b++) {
            long spread = 0;
            for (int j = 0; j < 8; j++) {
                spread |= (long) ((b >>> j) & 1) << (8 * j);
            }
            SPREAD[b] = spread;
        }
    }

    private ImagePacker() {}

    /** Bit j of the byte at bit 8j. */
    static long spread(byte value) {
        return SPREAD[value & 0xFF];
    }

    /** Up to 8 channels: one table lookup per byte, then each plane's word is one byte of the combined spread. */
    private static void packFewChannels(byte[] pixels, BitTensor input, int channels, long[] data, int planeStride) {
        TensorSpec spec = input.spec();
        int width = spec.width();
        for (int y = 0; y < spec.height(); y++) {
            int row = input.index(0, 0, y, 0);
            int src = y * width * channels;
            for (int x = 0; x < width; x++, src += channels) {
                long spread = 0;
                for (int c = 0; c < channels; c++) {
                    spread |= SPREAD[pixels[src + c] & 0xFF] << c;
                }
                int at = row + x;
                for (int plane = 0; plane < 8; plane++) {
                    data[at + plane * planeStride] = (spread >>> (8 * plane)) & 0xFF;
                }
            }
        }
    }

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
        if (channels <= 8) {
            packFewChannels(pixels, input, channels, data, planeStride);
            return;
        }
        for (int y = 0; y < spec.height(); y++) {
            int row = input.index(0, 0, y, 0);
            int src = y * width * channels;
            for (int x = 0; x < width; x++, src += channels) {
                for (int plane = 0; plane < 8; plane++) {
                    long word = 0;
                    for (int c = 0; c < channels; c++) {
                        word |= (long) ((pixels[src + c] >>> plane) & 1) << c;
                    }
                    data[row + x + plane * planeStride] = word;
                }
            }
        }
    }
}
