package io.bitvision.engine;

import io.bitvision.engine.graph.PatchPackOp;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.TensorSpec;

/**
 * Packs 8-bit interleaved pixels straight into the words of a model's first patch-pack layer (an image stem over
 * at most 8 channels whose whole patch fits one word): what {@link ImagePacker} followed by {@link PatchPackOp}
 * computes, without the 8-plane image tensor in between (7 MB at 384x288, for words that hold 3 bits each).
 *
 * <p>Per source row a cached "spread" per pixel holds bit j of channel c at bit 8j + c (one table lookup per byte);
 * taps are OR-ed into it at offsets of C bits while they fit a byte lane, then byte j of the group is plane j's
 * bits for those taps. Pixels outside the image are zero, as the image tensor's halo is. A cached row is stored in
 * {@code strideW} phases (columns p, p + s, p + 2s, ...), so the taps of consecutive output pixels are consecutive
 * longs: the vector path ({@link VectorPatchRows}) packs a vector of output pixels with plain loads and lane-wise
 * shifts, the scalar path one pixel at a time; both write the same words. Source row iy is cached in slot
 * iy mod (kernelH * dilationH), so the rows one output row needs never share a slot and a row shared with the
 * previous output row (stride below the kernel height) is spread once per call.
 */
public final class PatchImagePacker {
    private final TensorSpec image;
    private final int channels;
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final int padH;
    private final int padW;
    private final int dilationH;
    private final int dilationW;
    /** Padded width of a cached row: padW zeros, the image row, zeros to the last tap's reach. */
    private final int paddedWidth;
    /** Longs per phase of a cached row (columns p, p + strideW, ...), and per cached row (strideW phases). */
    private final int phaseLength;
    private final int rowLength;
    /** Pack vectors of output pixels with the Vector API (the engine's kernel family uses it). */
    private final boolean vectorRows;
    /** Per tap, its offset inside a cached row (column kx * dilationW, by phase) and its shift inside its group. */
    private final int[] tapInRow;
    private final int[] tapShift;
    /** Per tap, its offset in the cache for the current output row (its row's slot plus tapInRow). */
    private final int[] tapOffset;
    /** Cached rows, and the source row each slot holds (Integer.MIN_VALUE: none yet in this call). */
    private final int slots;
    private final int[] slotRow;
    /** Per group of taps that share a byte lane: its first tap (one past the last is the next group's first). */
    private final int[] groupStart;
    /** Spreads of the source rows of the current output row, kernelH rows of paddedWidth. */
    private final long[] rowSpreads;

    public PatchImagePacker(TensorSpec image, PatchPackOp stem) {
        this(image, stem, false);
    }

    /** @param vectorRows pack with the Vector API (only where jdk.incubator.vector is present) */
    public PatchImagePacker(TensorSpec image, PatchPackOp stem, boolean vectorRows) {
        if (!stem.packsImageDirectly(image)) {
            throw new IllegalArgumentException("no direct packing of " + image + " into a " + stem.type());
        }
        int[] q = stem.parameters();
        this.image = image;
        this.channels = image.channels();
        kernelH = q[0];
        kernelW = q[1];
        strideH = q[2];
        strideW = q[3];
        padH = q[4];
        padW = q[5];
        dilationH = q[6];
        dilationW = q[7];
        int taps = kernelH * kernelW;
        int tapsPerGroup = 8 / channels;
        paddedWidth = Math.max(image.width() + padW, (outWidth(image.width()) - 1) * strideW + (kernelW - 1) * dilationW + 1);
        phaseLength = (paddedWidth + strideW - 1) / strideW;
        rowLength = strideW * phaseLength;
        this.vectorRows = vectorRows;
        tapInRow = new int[taps];
        tapShift = new int[taps];
        tapOffset = new int[taps];
        for (int tap = 0; tap < taps; tap++) {
            int column = (tap % kernelW) * dilationW; // output x reads padded column x * strideW + column
            tapInRow[tap] = (column % strideW) * phaseLength + column / strideW;
            tapShift[tap] = (tap % tapsPerGroup) * channels;
        }
        slots = kernelH * dilationH;
        slotRow = new int[slots];
        groupStart = new int[(taps + tapsPerGroup - 1) / tapsPerGroup + 1];
        for (int g = 0; g < groupStart.length; g++) {
            groupStart[g] = Math.min(taps, g * tapsPerGroup);
        }
        rowSpreads = new long[slots * rowLength];
    }

    private int outWidth(int width) {
        return (width + 2 * padW - dilationW * (kernelW - 1) - 1) / strideW + 1;
    }

    public TensorSpec image() {
        return image;
    }

    /**
     * @param pixels interleaved bytes of the image, {@code height * width * channels}, row by row
     * @param out    the patch tensor (the stem layer's output)
     */
    public void pack(byte[] pixels, BitTensor out) {
        packRows(pixels, out, 0, out.spec().height());
    }

    /** Patch rows [fromRow, toRow) of {@link #pack}; packers on other threads may fill the other rows. */
    public void packRows(byte[] pixels, BitTensor out, int fromRow, int toRow) {
        long expected = (long) image.height() * image.width() * channels;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("image has " + pixels.length + " bytes, model input " + image
                    + " needs " + expected);
        }
        long[] dst = out.data();
        long[] spreads = rowSpreads;
        int planeStride = out.planeStride();
        int outW = out.spec().width();
        int groups = groupStart.length - 1;
        java.util.Arrays.fill(slotRow, Integer.MIN_VALUE); // a new image: nothing cached
        for (int y = fromRow; y < toRow; y++) {
            for (int ky = 0; ky < kernelH; ky++) {
                int iy = y * strideH - padH + ky * dilationH;
                int slot = Math.floorMod(iy, slots);
                if (slotRow[slot] != iy) {
                    spreadRow(pixels, iy, slot * rowLength);
                    slotRow[slot] = iy;
                }
                for (int kx = 0, tap = ky * kernelW; kx < kernelW; kx++, tap++) {
                    tapOffset[tap] = slot * rowLength + tapInRow[tap];
                }
            }
            int row = out.index(0, 0, y, 0);
            int x = vectorRows ? VectorPatchRows.packRow(spreads, tapOffset, tapShift, groupStart, channels, dst, row,
                    planeStride, outW) : 0;
            for (; x < outW; x++) {
                long p0 = 0, p1 = 0, p2 = 0, p3 = 0, p4 = 0, p5 = 0, p6 = 0, p7 = 0;
                int shift = 0;
                for (int g = 0; g < groups; g++) {
                    long group = 0;
                    int end = groupStart[g + 1];
                    for (int tap = groupStart[g]; tap < end; tap++) {
                        group |= spreads[x + tapOffset[tap]] << tapShift[tap];
                    }
                    p0 |= (group & 0xFF) << shift;
                    p1 |= ((group >>> 8) & 0xFF) << shift;
                    p2 |= ((group >>> 16) & 0xFF) << shift;
                    p3 |= ((group >>> 24) & 0xFF) << shift;
                    p4 |= ((group >>> 32) & 0xFF) << shift;
                    p5 |= ((group >>> 40) & 0xFF) << shift;
                    p6 |= ((group >>> 48) & 0xFF) << shift;
                    p7 |= (group >>> 56) << shift;
                    shift += (end - groupStart[g]) * channels;
                }
                int at = row + x;
                dst[at] = p0;
                dst[at + planeStride] = p1;
                dst[at + 2 * planeStride] = p2;
                dst[at + 3 * planeStride] = p3;
                dst[at + 4 * planeStride] = p4;
                dst[at + 5 * planeStride] = p5;
                dst[at + 6 * planeStride] = p6;
                dst[at + 7 * planeStride] = p7;
            }
        }
    }

    /**
     * Spreads of source row {@code iy} at {@code at} in the cache, phase by phase, with zero padding; all zeros
     * outside the image.
     */
    private void spreadRow(byte[] pixels, int iy, int at) {
        long[] spreads = rowSpreads;
        java.util.Arrays.fill(spreads, at, at + rowLength, 0L);
        if (iy < 0 || iy >= image.height()) {
            return;
        }
        int src = iy * image.width() * channels;
        for (int x = 0; x < image.width(); x++, src += channels) {
            long spread = 0;
            for (int c = 0; c < channels; c++) {
                spread |= ImagePacker.spread(pixels[src + c]) << c;
            }
            int column = padW + x;
            spreads[at + (column % strideW) * phaseLength + column / strideW] = spread;
        }
    }
}
