package io.bitvision.engine.tensor;

/**
 * Bit-planes over a {@code long[]}: index = plane, channel word, padded row, padded column. Consecutive pixels
 * of one channel word are consecutive longs, so kernels can load 8 pixels into one 512-bit vector. A halo of
 * {@code haloY} rows and {@code haloX} columns of zero words surrounds the frame: convolutions read their padding
 * from it instead of testing bounds.
 */
public final class BitTensor implements Tensor {
    private final TensorSpec spec;
    private final int haloY;
    private final int haloX;
    private final int channelWords;
    private final int rowStride;
    private final int wordStride;
    private final int planeStride;
    private final long[] data;
    private final int offset;

    public BitTensor(TensorSpec spec, int haloY, int haloX, long[] data, int offset) {
        if (spec.type() != DataType.BITS) {
            throw new IllegalArgumentException("not a bit tensor: " + spec);
        }
        this.spec = spec;
        this.haloY = haloY;
        this.haloX = haloX;
        this.channelWords = BitPacking.words(spec.channels());
        this.rowStride = spec.width() + 2 * haloX;
        this.wordStride = rowStride * (spec.height() + 2 * haloY);
        this.planeStride = wordStride * channelWords;
        this.data = data;
        this.offset = offset;
        long words = storageWords(spec, haloY, haloX);
        if (offset < 0 || offset + words > data.length) {
            throw new IllegalArgumentException("tensor of " + words + " words at " + offset + " exceeds array of " + data.length);
        }
    }

    public static BitTensor allocate(TensorSpec spec, int haloY, int haloX) {
        return new BitTensor(spec, haloY, haloX, new long[Math.toIntExact(storageWords(spec, haloY, haloX))], 0);
    }

    public static long storageWords(TensorSpec spec, int haloY, int haloX) {
        return (long) spec.bits() * BitPacking.words(spec.channels())
                * (spec.height() + 2L * haloY) * (spec.width() + 2L * haloX);
    }

    @Override
    public TensorSpec spec() {
        return spec;
    }

    public int haloY() {
        return haloY;
    }

    public int haloX() {
        return haloX;
    }

    public int channelWords() {
        return channelWords;
    }

    public int rowStride() {
        return rowStride;
    }

    public int wordStride() {
        return wordStride;
    }

    public int planeStride() {
        return planeStride;
    }

    public long[] data() {
        return data;
    }

    /** Array index of the word holding channels [64*word, 64*word+63] of plane {@code plane} at (y, x). */
    public int index(int plane, int word, int y, int x) {
        return offset + plane * planeStride + word * wordStride + (y + haloY) * rowStride + x + haloX;
    }

    @Override
    public long storageBytes() {
        return storageWords(spec, haloY, haloX) * Long.BYTES;
    }

    @Override
    public int intValue(int channel, int y, int x) {
        int word = channel >>> 6;
        int bit = channel & 63;
        if (spec.isBinary()) {
            return (int) ((data[index(0, word, y, x)] >>> bit) & 1) * 2 - 1;
        }
        int value = 0;
        for (int plane = 0; plane < spec.bits(); plane++) {
            value |= (int) ((data[index(plane, word, y, x)] >>> bit) & 1) << plane;
        }
        return value;
    }

    @Override
    public float floatValue(int channel, int y, int x) {
        return intValue(channel, y, x);
    }

    /** Writes a value (+-1 for binary, 0..2^bits-1 otherwise) inside the frame. */
    public void setValue(int channel, int y, int x, int value) {
        int word = channel >>> 6;
        long bit = 1L << (channel & 63);
        int pattern = spec.isBinary() ? (value > 0 ? 1 : 0) : value;
        for (int plane = 0; plane < spec.bits(); plane++) {
            int i = index(plane, word, y, x);
            data[i] = ((pattern >>> plane) & 1) != 0 ? data[i] | bit : data[i] & ~bit;
        }
    }

    /** Zeroes the halo, which a previous tenant of the same arena region may have written. */
    public void clearHalo() {
        if (haloX == 0 && haloY == 0) {
            return;
        }
        int paddedH = spec.height() + 2 * haloY;
        for (int plane = 0; plane < spec.bits(); plane++) {
            for (int word = 0; word < channelWords; word++) {
                int base = offset + plane * planeStride + word * wordStride;
                for (int y = 0; y < paddedH; y++) {
                    int row = base + y * rowStride;
                    if (y < haloY || y >= haloY + spec.height()) {
                        java.util.Arrays.fill(data, row, row + rowStride, 0L);
                    } else if (haloX > 0) {
                        java.util.Arrays.fill(data, row, row + haloX, 0L);
                        java.util.Arrays.fill(data, row + haloX + spec.width(), row + rowStride, 0L);
                    }
                }
            }
        }
    }

    /** Zeroes the whole storage, halo included. */
    public void clear() {
        java.util.Arrays.fill(data, offset, offset + (int) storageWords(spec, haloY, haloX), 0L);
    }
}
