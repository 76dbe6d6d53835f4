package io.bitvision.engine.tensor;

/** How an activation's values are stored. */
public enum DataType {
    /**
     * Bit-planes. One plane ({@code bits == 1}): a binary activation, bit 1 = +1, bit 0 = -1. k planes
     * ({@code bits} 2..8): unsigned k-bit integers, plane j holding bit j.
     */
    BITS,
    /** int32 per value, layout [channel][y][x]: accumulators, sums, residual adds. */
    INT32,
    /** float32 per value, layout [channel][y][x]: only the float tail of heads. */
    FLOAT32
}
