package io.bitvision.engine.instance;

/**
 * Source cells and weights along one axis of a bilinear resize exactly as PyTorch's
 * {@code F.interpolate(mode="bilinear", align_corners=False)}: output index {@code d} reads
 * {@code src = max(0, (d + 0.5) * in / out - 0.5)}, between cells {@code lower = floor(src)} and
 * {@code upper = min(lower + 1, in - 1)} with weight {@code src - lower} on the upper one.
 */
final class BilinearAxis {
    private final int inSize;
    private final int[] lower;
    private final int[] upper;
    private final double[] upperWeight;

    BilinearAxis(int inSize, int outSize) {
        if (inSize < 1 || outSize < 1) {
            throw new IllegalArgumentException("cannot resize " + inSize + " cells to " + outSize);
        }
        this.inSize = inSize;
        lower = new int[outSize];
        upper = new int[outSize];
        upperWeight = new double[outSize];
        for (int d = 0; d < outSize; d++) {
            double src = Math.max(0.0, (d + 0.5) * inSize / outSize - 0.5);
            int lo = Math.min((int) src, inSize - 1);
            lower[d] = lo;
            upper[d] = lo < inSize - 1 ? lo + 1 : lo;
            upperWeight[d] = src - lo;
        }
    }

    int inSize() {
        return inSize;
    }

    int outSize() {
        return lower.length;
    }

    int lower(int d) {
        return lower[d];
    }

    int upper(int d) {
        return upper[d];
    }

    double upperWeight(int d) {
        return upperWeight[d];
    }

    /** First output index whose lower cell is at least {@code cell}; {@link #outSize()} when none. */
    int firstReadingFrom(int cell) {
        int lo = 0;
        int hi = lower.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (lower[mid] >= cell) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** One past the last output index whose lower cell is at most {@code cell}. */
    int endReadingUpTo(int cell) {
        return firstReadingFrom(cell + 1);
    }
}
