package io.bitvision.engine.post;

import java.util.Arrays;

/**
 * COCO run-length encoding of a binary mask, as pycocotools' maskApi.c does it.
 *
 * <p>Runs are counted column-major over the full frame and alternate background / foreground, starting with
 * a background run that may be 0. The compressed string stores each count, from the fourth on as a delta
 * against the count two places back, in 5-bit groups (bit 0x20 = more groups follow, bit 0x10 of the last
 * group = sign), each plus 48. Masks here are row-major {@code byte[]}, nonzero = foreground.
 */
public final class CocoRle {
    /** A count needs at most 7 groups (35 bits); more can only come from a damaged string. */
    private static final int MAX_GROUPS_PER_COUNT = 7;

    private CocoRle() {
    }

    /** Run lengths of {@code maskRowMajor} in COCO order (rleEncode). */
    public static int[] counts(byte[] maskRowMajor, int height, int width) {
        int area = pixelCount(height, width);
        if (maskRowMajor.length != area) {
            throw new IllegalArgumentException(
                    "mask has " + maskRowMajor.length + " bytes, " + height + "x" + width + " needs " + area);
        }
        int[] runs = new int[area + 1];
        int runCount = 0;
        boolean inForeground = false;
        int runLength = 0;
        for (int x = 0; x < width; x++) {
            for (int index = x; index < area; index += width) {
                boolean foreground = maskRowMajor[index] != 0;
                if (foreground != inForeground) {
                    runs[runCount++] = runLength;
                    runLength = 0;
                    inForeground = foreground;
                }
                runLength++;
            }
        }
        runs[runCount++] = runLength;
        return Arrays.copyOf(runs, runCount);
    }

    /**
     * The same counts as {@link #counts(byte[], int, int)} for a mask whose foreground lies inside columns
     * [left, right) and rows [top, bottom): reads only that box, so a small instance in a large frame costs
     * little. Pixels outside the box are taken as background without being read.
     */
    public static int[] counts(byte[] maskRowMajor, int height, int width, int left, int top, int right, int bottom) {
        int area = pixelCount(height, width);
        if (maskRowMajor.length != area) {
            throw new IllegalArgumentException(
                    "mask has " + maskRowMajor.length + " bytes, " + height + "x" + width + " needs " + area);
        }
        if (left < 0 || left > right || right > width || top < 0 || top > bottom || bottom > height) {
            throw new IllegalArgumentException("box columns [" + left + ", " + right + ") rows [" + top + ", "
                    + bottom + ") is not inside a " + height + "x" + width + " mask");
        }
        int[] runs = new int[16];
        int runCount = 0;
        boolean inForeground = false;
        int runLength = left * height;
        for (int x = left; x < right; x++) {
            if (top > 0 && inForeground) {
                runs = append(runs, runCount++, runLength);
                runLength = 0;
                inForeground = false;
            }
            runLength += top;
            for (int index = top * width + x, end = bottom * width; index < end; index += width) {
                boolean foreground = maskRowMajor[index] != 0;
                if (foreground != inForeground) {
                    runs = append(runs, runCount++, runLength);
                    runLength = 0;
                    inForeground = foreground;
                }
                runLength++;
            }
            if (bottom < height && inForeground) {
                runs = append(runs, runCount++, runLength);
                runLength = 0;
                inForeground = false;
            }
            runLength += height - bottom;
        }
        if (right < width && inForeground) {
            runs = append(runs, runCount++, runLength);
            runLength = 0;
        }
        runLength += (width - right) * height;
        runs = append(runs, runCount++, runLength);
        return Arrays.copyOf(runs, runCount);
    }

    private static int[] append(int[] runs, int at, int value) {
        int[] target = at < runs.length ? runs : Arrays.copyOf(runs, runs.length * 2);
        target[at] = value;
        return target;
    }

    /** COCO's compressed string of {@code counts} (rleToString). */
    public static String compress(int[] counts) {
        StringBuilder out = new StringBuilder(counts.length * 2);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException("negative count " + counts[i] + " at " + i);
            }
            long value = counts[i];
            if (i > 2) {
                value -= counts[i - 2];
            }
            boolean more = true;
            while (more) {
                int group = (int) (value & 0x1f);
                value >>= 5;
                more = (group & 0x10) != 0 ? value != -1 : value != 0;
                if (more) {
                    group |= 0x20;
                }
                out.append((char) (group + 48));
            }
        }
        return out.toString();
    }

    /** Counts from COCO's compressed string (rleFrString); rejects characters and values it cannot hold. */
    public static int[] decompress(String compressed) {
        int[] counts = new int[compressed.length()];
        int countIndex = 0;
        int position = 0;
        while (position < compressed.length()) {
            long value = 0;
            int groups = 0;
            boolean more = true;
            while (more) {
                if (position == compressed.length()) {
                    throw new IllegalArgumentException("RLE string ends inside a count: " + abbreviate(compressed));
                }
                int group = compressed.charAt(position++) - 48;
                if (group < 0 || group > 63) {
                    throw new IllegalArgumentException(
                            "character '" + compressed.charAt(position - 1) + "' at " + (position - 1)
                                    + " is not an RLE digit");
                }
                if (groups == MAX_GROUPS_PER_COUNT) {
                    throw new IllegalArgumentException("count at " + position + " has too many digits");
                }
                value |= (long) (group & 0x1f) << (5 * groups);
                groups++;
                more = (group & 0x20) != 0;
                if (!more && (group & 0x10) != 0) {
                    value |= -1L << (5 * groups);
                }
            }
            if (countIndex > 2) {
                value += counts[countIndex - 2];
            }
            if (value < 0 || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("count " + countIndex + " decodes to " + value);
            }
            counts[countIndex++] = (int) value;
        }
        return Arrays.copyOf(counts, countIndex);
    }

    /** The row-major mask (0 or 1 per pixel) that {@code counts} describe; the runs must cover it exactly. */
    public static byte[] decode(int[] counts, int height, int width) {
        int area = pixelCount(height, width);
        checkCoversFrame(counts, area);
        byte[] mask = new byte[area];
        int columnMajorIndex = 0;
        for (int run = 0; run < counts.length; run++) {
            int end = columnMajorIndex + counts[run];
            if (run % 2 == 1) {
                for (int i = columnMajorIndex; i < end; i++) {
                    mask[(i % height) * width + i / height] = 1;
                }
            }
            columnMajorIndex = end;
        }
        return mask;
    }

    /**
     * Foreground pixels two masks of the same frame share, walking both run lists at once (as rleIou does);
     * the lists must cover the same number of pixels.
     */
    public static long intersection(int[] a, int[] b) {
        long shared = 0;
        int i = 0;
        int j = 0;
        long leftA = a.length > 0 ? a[0] : 0;
        long leftB = b.length > 0 ? b[0] : 0;
        while (i < a.length && j < b.length) {
            long step = Math.min(leftA, leftB);
            if (i % 2 == 1 && j % 2 == 1) {
                shared += step;
            }
            leftA -= step;
            leftB -= step;
            while (leftA == 0 && ++i < a.length) {
                leftA = a[i];
            }
            while (leftB == 0 && ++j < b.length) {
                leftB = b[j];
            }
        }
        return shared;
    }

    /** Intersection over union of two masks of the same frame; 0 when both are empty. */
    public static double iou(int[] a, int[] b) {
        long shared = intersection(a, b);
        long union = area(a) + area(b) - shared;
        return union == 0 ? 0 : (double) shared / union;
    }

    /** Foreground pixels (rleArea). */
    public static long area(int[] counts) {
        long area = 0;
        for (int run = 1; run < counts.length; run += 2) {
            area += counts[run];
        }
        return area;
    }

    /**
     * Tight box around the foreground as {x, y, w, h} in pixels, {0, 0, 0, 0} for an empty mask (rleToBbox).
     */
    public static int[] bbox(int[] counts, int height, int width) {
        checkCoversFrame(counts, pixelCount(height, width));
        int minX = width;
        int minY = height;
        int maxX = -1;
        int maxY = -1;
        long runStart = 0;
        for (int run = 0; run < counts.length; run++) {
            long runEnd = runStart + counts[run];
            if (run % 2 == 1 && counts[run] > 0) {
                int firstX = (int) (runStart / height);
                int lastX = (int) ((runEnd - 1) / height);
                minX = Math.min(minX, firstX);
                maxX = Math.max(maxX, lastX);
                if (firstX != lastX) {
                    // The run wraps from the bottom of one column to the top of the next: every row is covered.
                    minY = 0;
                    maxY = height - 1;
                } else {
                    minY = Math.min(minY, (int) (runStart % height));
                    maxY = Math.max(maxY, (int) ((runEnd - 1) % height));
                }
            }
            runStart = runEnd;
        }
        if (maxX < 0) {
            return new int[] {0, 0, 0, 0};
        }
        return new int[] {minX, minY, maxX - minX + 1, maxY - minY + 1};
    }

    private static int pixelCount(int height, int width) {
        if (height < 0 || width < 0) {
            throw new IllegalArgumentException("negative mask size " + height + "x" + width);
        }
        return Math.multiplyExact(height, width);
    }

    private static void checkCoversFrame(int[] counts, int area) {
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException("negative count " + counts[i] + " at " + i);
            }
            sum += counts[i];
        }
        if (sum != area) {
            throw new IllegalArgumentException("runs cover " + sum + " pixels, the frame has " + area);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
