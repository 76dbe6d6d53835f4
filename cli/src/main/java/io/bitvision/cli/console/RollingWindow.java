package io.bitvision.cli.console;

import java.util.Arrays;

/** The last {@code capacity} values of a measure, and their median; not thread-safe. */
final class RollingWindow {
    private final long[] values;
    private int size;
    private int next;

    RollingWindow(int capacity) {
        values = new long[capacity];
    }

    void add(long value) {
        values[next] = value;
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
    }

    /** The median, or null when nothing was added. */
    Long median() {
        if (size == 0) {
            return null;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return sorted[size / 2];
    }
}
