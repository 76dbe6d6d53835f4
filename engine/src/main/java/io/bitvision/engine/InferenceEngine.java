package io.bitvision.engine;

import io.bitvision.engine.graph.ExecContext;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.MemoryPlan;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.graph.RowBandOp;
import io.bitvision.engine.kernel.KernelStrategy;
import io.bitvision.engine.kernel.Kernels;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.FloatTensor;
import io.bitvision.engine.tensor.IntTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;

/**
 * Runs one {@link Model} with its own arena: every activation lives in arrays allocated once here, at the
 * offsets of the model's memory plan, so {@link #run()} allocates nothing. Not thread-safe: give each thread its
 * own engine; the model (weights) is shared read-only between them.
 *
 * <p>With {@link Builder#threads} above 1 the engine owns that many threads less one and splits the rows of each
 * row-independent operator ({@link RowBandOp}) into bands across them and the caller; each thread has its own kernel
 * and scratch, the activations stay in the one arena. {@link #close()} stops those threads.
 */
public final class InferenceEngine implements AutoCloseable {
    public static final int MAX_THREADS = 64;

    private final Model model;
    private final Tensor[] tensors;
    private final Tensor[][] nodeInputs;
    private final boolean[] clearWhole;
    /** Output rows node i may split into bands; 0 when it runs whole on the caller. */
    private final int[] bandRows;
    private final ExecContext context;
    /** Null with one thread. */
    private final RowBandWorkers workers;
    private final long arenaBytes;
    /** Packs images straight into the stem's patch words, one packer per thread; null without a fused stem. */
    private final PatchImagePacker[] stemPackers;
    /** Per node, its rows as a task for the band threads; null where the node runs whole or with one thread. */
    private final RowBandWorkers.Task[] nodeBands;
    private final StemBands stemBands;

    private InferenceEngine(Builder builder) {
        this.model = builder.model;
        MemoryPlan plan = model.plan();
        this.arenaBytes = plan.arenaBytes();
        if (arenaBytes > builder.maxArenaBytes) {
            throw new ArenaBoundExceededException(model.name(), arenaBytes, builder.maxArenaBytes);
        }
        Graph graph = model.executionGraph();
        long[] bitPool = new long[toArrayLength(plan.bitPoolWords())];
        int[] intPool = new int[toArrayLength(plan.intPoolInts())];
        float[] floatPool = new float[toArrayLength(plan.floatPoolFloats())];
        tensors = new Tensor[graph.tensorCount()];
        for (int t = 0; t < tensors.length; t++) {
            TensorSpec spec = graph.spec(t);
            int offset = (int) plan.offset(t);
            tensors[t] = switch (spec.type()) {
                case BITS -> new BitTensor(spec, plan.haloY(t), plan.haloX(t), bitPool, offset);
                case INT32 -> new IntTensor(spec, intPool, offset);
                case FLOAT32 -> new FloatTensor(spec, floatPool, offset);
            };
        }
        nodeInputs = new Tensor[graph.nodes().size()][];
        clearWhole = new boolean[graph.nodes().size()];
        bandRows = new int[graph.nodes().size()];
        for (int i = 0; i < nodeInputs.length; i++) {
            Node node = graph.nodes().get(i);
            int[] ids = node.inputs();
            nodeInputs[i] = new Tensor[ids.length];
            for (int k = 0; k < ids.length; k++) {
                nodeInputs[i][k] = tensors[ids[k]];
            }
            clearWhole[i] = !node.op().writesWholeWords(graph.inputSpecs(i));
            if (node.op() instanceof RowBandOp banded && banded.splitsRows(nodeInputs[i])) {
                int rows = banded.rows(nodeInputs[i], tensors[i + 1]);
                bandRows[i] = rows >= builder.threads ? rows : 0;
            }
        }
        ExecContext[] contexts = new ExecContext[builder.threads];
        for (int t = 0; t < contexts.length; t++) {
            contexts[t] = new ExecContext(Kernels.select(builder.strategy), new long[toArrayLength(plan.scratchLongs())],
                    new long[toArrayLength(plan.secondScratchLongs())], new float[toArrayLength(plan.scratchFloats())]);
        }
        boolean vectorStem = contexts[0].convKernel().strategy().needsVectorApi(); // the family's choice, as for convs
        stemPackers = new PatchImagePacker[model.imageStem() == null ? 0 : builder.threads];
        for (int t = 0; t < stemPackers.length; t++) {
            stemPackers[t] = new PatchImagePacker(model.graph().input(), model.imageStem(), vectorStem);
        }
        context = contexts[0];
        workers = contexts.length == 1 ? null : new RowBandWorkers(contexts, "bitvision-" + model.name());
        nodeBands = new RowBandWorkers.Task[nodeInputs.length];
        for (int i = 0; i < nodeInputs.length; i++) {
            if (workers != null && bandRows[i] > 0) {
                RowBandOp op = (RowBandOp) graph.nodes().get(i).op();
                Tensor[] in = nodeInputs[i];
                Tensor out = tensors[i + 1];
                nodeBands[i] = (band, bandContext, from, to) -> op.forwardRows(in, out, bandContext, from, to);
            }
        }
        stemBands = workers == null || stemPackers.length == 0 ? null : new StemBands();
    }

    /** The image's patch rows as a task for the band threads: the pixels of the frame being packed, a packer each. */
    private final class StemBands implements RowBandWorkers.Task {
        private byte[] pixels;

        @Override
        public void runRows(int band, ExecContext bandContext, int fromRow, int toRow) {
            stemPackers[band].packRows(pixels, input(), fromRow, toRow);
        }
    }

    private static int toArrayLength(long elements) {
        if (elements > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a pool of " + elements + " elements exceeds a Java array");
        }
        return (int) elements;
    }

    public static Builder builder(Model model) {
        return new Builder(model);
    }

    public Model model() {
        return model;
    }

    /**
     * The input tensor of the {@link Model#executionGraph()}: for image models with a fused stem, the stem's patch
     * tensor, so images go through {@link #packImage}. Write all of it before each {@link #run()}: its storage is
     * reused by later activations. Code that sets single values must {@link BitTensor#clear()} first, since
     * padding bits past the last channel must be zero.
     */
    public BitTensor input() {
        return (BitTensor) tensors[0];
    }

    /**
     * Packs an image of the stored graph's input shape (8-bit interleaved pixels, row by row) as the input of the
     * next {@link #run()}: straight into the stem's patch words when the model has a fused stem, else through
     * {@link ImagePacker}.
     */
    public void packImage(byte[] pixels) {
        if (stemBands != null) {
            stemBands.pixels = pixels;
            try {
                workers.run(stemBands, input().spec().height());
            } finally {
                stemBands.pixels = null;
            }
        } else if (stemPackers.length > 0) {
            stemPackers[0].pack(pixels, input());
        } else {
            ImagePacker.pack(pixels, input());
        }
    }

    /** Runs the graph on the current input. Allocates nothing. */
    public void run() {
        run(null);
    }

    /**
     * Runs the graph and adds the wall time of node i of the {@link Model#executionGraph()} to {@code nodeNanos[i]}
     * when it is not null.
     */
    public void run(long[] nodeNanos) {
        input().clearHalo();
        Graph graph = model.executionGraph();
        for (int i = 0; i < nodeInputs.length; i++) {
            long start = nodeNanos == null ? 0 : System.nanoTime();
            Tensor out = tensors[i + 1];
            if (out instanceof BitTensor bits) {
                if (clearWhole[i]) {
                    bits.clear();
                } else {
                    bits.clearHalo();
                }
            }
            if (nodeBands[i] != null) {
                workers.run(nodeBands[i], bandRows[i]);
            } else {
                graph.nodes().get(i).op().forward(nodeInputs[i], out, context);
            }
            if (nodeNanos != null) {
                nodeNanos[i] += System.nanoTime() - start;
            }
        }
    }

    /** Output by its position in the model's output list. */
    public Tensor output(int index) {
        return tensors[model.executionGraph().outputs()[index]];
    }

    /** Output by name; IllegalArgumentException when the model has none of that name. */
    public Tensor output(String name) {
        int index = model.graph().outputNames().indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("model '" + model.name() + "' has no output '" + name
                    + "'; it has " + model.graph().outputNames());
        }
        return output(index);
    }

    /**
     * Any tensor of the execution graph (0 = input, i + 1 = output of node i); for tests and debugging. Tensors
     * fused away do not exist: keep a tensor as a graph output, or use {@link Model#withoutFusion()}, to read it.
     */
    public Tensor tensor(int id) {
        return tensors[id];
    }

    public long arenaBytes() {
        return arenaBytes;
    }

    public KernelStrategy kernelStrategy() {
        return context.convKernel().strategy();
    }

    /** Threads that run one frame: the caller and the engine's own. */
    public int threads() {
        return workers == null ? 1 : workers.threads();
    }

    /** Stops the engine's own threads, if it has any; {@link #run()} fails after that when it would need them. */
    @Override
    public void close() {
        if (workers != null) {
            workers.close();
        }
    }

    public static final class Builder {
        private final Model model;
        private long maxArenaBytes = Long.MAX_VALUE;
        private KernelStrategy strategy = KernelStrategy.AUTO;
        private int threads = 1;

        private Builder(Model model) {
            if (model == null) {
                throw new IllegalArgumentException("model is required");
            }
            this.model = model;
        }

        /** Refuse models whose plan needs a larger arena than this. */
        public Builder maxArenaBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("arena bound must be positive: " + bytes);
            }
            this.maxArenaBytes = bytes;
            return this;
        }

        public Builder kernels(KernelStrategy kernelStrategy) {
            this.strategy = kernelStrategy;
            return this;
        }

        /** Threads per frame (1 = the caller only); the results are identical for every count. */
        public Builder threads(int count) {
            if (count < 1 || count > MAX_THREADS) {
                throw new IllegalArgumentException("inference threads must be 1.." + MAX_THREADS + ": " + count);
            }
            this.threads = count;
            return this;
        }

        public InferenceEngine build() {
            return new InferenceEngine(this);
        }
    }
}
