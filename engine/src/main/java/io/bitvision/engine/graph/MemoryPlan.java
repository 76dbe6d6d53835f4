package io.bitvision.engine.graph;

import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.TensorSpec;

/**
 * Static memory plan of a graph. Liveness runs from a tensor's producing step to its last reader (graph outputs
 * live to the end); first-fit places every tensor in one of three pools (bit words, ints, floats) so tensors
 * whose lifetimes overlap never share storage. Bit tensors get a zero halo as wide as the largest padding any
 * reader needs. An engine allocates the pools once and never again.
 */
public final class MemoryPlan {
    private final int[] haloY;
    private final int[] haloX;
    private final long[] offsets;
    private final long[] elements;
    private final long bitPoolWords;
    private final long intPoolInts;
    private final long floatPoolFloats;
    private final long scratchLongs;
    private final long secondScratchLongs;
    private final long scratchFloats;
    private final long peakLiveBytes;
    private final long skipBytes;

    public MemoryPlan(Graph graph) {
        int count = graph.tensorCount();
        int steps = graph.nodes().size();
        haloY = new int[count];
        haloX = new int[count];
        int[] start = new int[count];
        int[] end = new int[count];
        for (int t = 0; t < count; t++) {
            start[t] = t - 1; // the input is "produced" at step -1, node i's output at step i
            end[t] = t - 1;
        }
        long scratch = 0;
        long secondScratch = 0;
        long floatScratch = 0;
        for (int i = 0; i < steps; i++) {
            Node node = graph.nodes().get(i);
            for (int id : node.inputs()) {
                end[id] = Math.max(end[id], i);
                if (graph.spec(id).type() == DataType.BITS) {
                    haloY[id] = Math.max(haloY[id], node.op().haloY());
                    haloX[id] = Math.max(haloX[id], node.op().haloX());
                }
            }
            scratch = Math.max(scratch, node.op().scratchLongs(graph.inputSpecs(i), graph.spec(i + 1)));
            secondScratch = Math.max(secondScratch, node.op().secondScratchLongs(graph.inputSpecs(i), graph.spec(i + 1)));
            floatScratch = Math.max(floatScratch, node.op().scratchFloats(graph.inputSpecs(i), graph.spec(i + 1)));
        }
        for (int id : graph.outputs()) {
            end[id] = steps;
        }
        scratchLongs = scratch;
        secondScratchLongs = secondScratch;
        scratchFloats = floatScratch;

        elements = new long[count];
        for (int t = 0; t < count; t++) {
            TensorSpec s = graph.spec(t);
            elements[t] = s.type() == DataType.BITS
                    ? BitTensor.storageWords(s, haloY[t], haloX[t])
                    : s.channels() * s.pixels();
        }

        offsets = new long[count];
        long[] poolEnd = new long[DataType.values().length];
        for (int t = 0; t < count; t++) {
            DataType pool = graph.spec(t).type();
            long[][] busy = new long[t][];
            int n = 0;
            for (int u = 0; u < t; u++) {
                if (graph.spec(u).type() == pool && start[u] <= end[t] && start[t] <= end[u]) {
                    busy[n++] = new long[] {offsets[u], offsets[u] + elements[u]};
                }
            }
            java.util.Arrays.sort(busy, 0, n, java.util.Comparator.comparingLong(range -> range[0]));
            long offset = 0;
            for (int k = 0; k < n && busy[k][0] < offset + elements[t]; k++) {
                offset = Math.max(offset, busy[k][1]);
            }
            offsets[t] = offset;
            poolEnd[pool.ordinal()] = Math.max(poolEnd[pool.ordinal()], offset + elements[t]);
        }
        bitPoolWords = poolEnd[DataType.BITS.ordinal()];
        intPoolInts = poolEnd[DataType.INT32.ordinal()];
        floatPoolFloats = poolEnd[DataType.FLOAT32.ordinal()];

        long peak = 0;
        long skip = 0;
        for (int step = -1; step <= steps; step++) {
            long live = 0;
            long held = 0;
            for (int t = 0; t < count; t++) {
                if (start[t] <= step && step <= end[t]) {
                    live += bytes(graph.spec(t), elements[t]);
                    boolean touched = start[t] == step || (step >= 0 && step < steps && reads(graph.nodes().get(step), t));
                    if (!touched && step < steps) {
                        held += bytes(graph.spec(t), elements[t]);
                    }
                }
            }
            peak = Math.max(peak, live);
            skip = Math.max(skip, held);
        }
        peakLiveBytes = peak;
        skipBytes = skip;
    }

    private static boolean reads(Node node, int tensor) {
        for (int id : node.inputs()) {
            if (id == tensor) {
                return true;
            }
        }
        return false;
    }

    private static long bytes(TensorSpec spec, long elements) {
        return elements * (spec.type() == DataType.BITS ? Long.BYTES : Integer.BYTES);
    }

    public int haloY(int tensor) {
        return haloY[tensor];
    }

    public int haloX(int tensor) {
        return haloX[tensor];
    }

    /** Offset of a tensor in its pool, in elements of that pool. */
    public long offset(int tensor) {
        return offsets[tensor];
    }

    public long elements(int tensor) {
        return elements[tensor];
    }

    public long bitPoolWords() {
        return bitPoolWords;
    }

    public long intPoolInts() {
        return intPoolInts;
    }

    public long floatPoolFloats() {
        return floatPoolFloats;
    }

    public long scratchLongs() {
        return scratchLongs;
    }

    public long secondScratchLongs() {
        return secondScratchLongs;
    }

    public long scratchFloats() {
        return scratchFloats;
    }

    /** Most bytes of activations alive at one step (halos included): the lower bound of any plan. */
    public long peakActivationBytes() {
        return peakLiveBytes;
    }

    /**
     * Most bytes held at one step by tensors that step neither writes nor reads: activations kept alive for a
     * later reader, i.e. skip connections.
     */
    public long skipBytes() {
        return skipBytes;
    }

    /** Bytes an engine allocates: the three pools plus scratch. */
    public long arenaBytes() {
        return bitPoolWords * Long.BYTES + intPoolInts * Integer.BYTES + floatPoolFloats * Float.BYTES
                + (scratchLongs + secondScratchLongs) * Long.BYTES + scratchFloats * Float.BYTES;
    }
}
