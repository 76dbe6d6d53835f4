package io.bitvision.engine;

/** Nearest-neighbour resize of interleaved 8-bit pixels, into a caller-owned buffer (no allocation). */
public final class NearestResize {
    private NearestResize() {}

    public static void resize(byte[] src, int srcH, int srcW, byte[] dst, int dstH, int dstW, int channels) {
        if (src.length != srcH * srcW * channels || dst.length != dstH * dstW * channels) {
            throw new IllegalArgumentException("buffer sizes do not match " + srcH + "x" + srcW + " -> " + dstH + "x" + dstW);
        }
        for (int y = 0; y < dstH; y++) {
            int sy = (int) ((long) y * srcH / dstH);
            for (int x = 0; x < dstW; x++) {
                int sx = (int) ((long) x * srcW / dstW);
                System.arraycopy(src, (sy * srcW + sx) * channels, dst, (y * dstW + x) * channels, channels);
            }
        }
    }
}
