package io.bitvision.operators.source.kafka;

import java.io.Serializable;

/**
 * What {@link JpegFrames} accepts, checked before any pixel is decoded. Immutable; start from {@link #defaults()}.
 *
 * @param maxBytes largest encoded JPEG in bytes; default {@value #DEFAULT_MAX_BYTES} (8 MiB, far above a camera
 *     frame and above Kafka's default 1 MB message limit)
 * @param maxPixels largest {@code width * height}, read from the JPEG header; default {@value #DEFAULT_MAX_PIXELS}
 *     (4096 x 4096, 48 MiB of RGB). A small JPEG can declare a huge image, so this bounds the memory one record
 *     can take, not {@code maxBytes}.
 */
public record JpegLimits(int maxBytes, long maxPixels) implements Serializable {
    public static final int DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
    public static final long DEFAULT_MAX_PIXELS = 4096L * 4096L;
    /** The RGB array of {@code maxPixels} pixels must fit one Java array. */
    public static final long MAX_PIXELS_LIMIT = (Integer.MAX_VALUE - 8) / 3;

    public JpegLimits {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
        }
        if (maxPixels < 1 || maxPixels > MAX_PIXELS_LIMIT) {
            throw new IllegalArgumentException("maxPixels must be in 1.." + MAX_PIXELS_LIMIT + ", got " + maxPixels);
        }
    }

    public static JpegLimits defaults() {
        return new JpegLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS);
    }

    public JpegLimits withMaxBytes(int bytes) {
        return new JpegLimits(bytes, maxPixels);
    }

    public JpegLimits withMaxPixels(long pixels) {
        return new JpegLimits(maxBytes, pixels);
    }
}
