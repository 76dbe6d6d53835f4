package io.bitvision.engine;

import io.bitvision.engine.graph.ExecContext;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.MemoryPlan;
import io.bitvision.engine.graph.Node;
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
 */
public final class InferenceEngine {
    private final Model model;
    private final Tensor[] tensors;
    private final Tensor[][] nodeInputs;
    private final boolean[] clearWhole;
    private final ExecContext context;
    private final long arenaBytes;
    /** Packs images straight into the stem's patch words; null when the model has no fused stem. */
    private final PatchImagePacker stemPacker;

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
        for (int i = 0; i < nodeInputs.length; i++) {
            Node node = graph.nodes().get(i);
            int[] ids = node.inputs();
            nodeInputs[i] = new Tensor[ids.length];
            for (int k = 0; k < ids.length; k++) {
                nodeInputs[i][k] = tensors[ids[k]];
            }
            clearWhole[i] = !node.op().writesWholeWords(graph.inputSpecs(i));
        }
        stemPacker = model.imageStem() == null ? null : new PatchImagePacker(model.graph().input(), model.imageStem());
        context = new ExecContext(Kernels.select(builder.strategy), new long[toArrayLength(plan.scratchLongs())],
                new float[toArrayLength(plan.scratchFloats())]);
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
        if (stemPacker != null) {
            stemPacker.pack(pixels, input());
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
            graph.nodes().get(i).op().forward(nodeInputs[i], out, context);
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

    public static final class Builder {
        private final Model model;
        private long maxArenaBytes = Long.MAX_VALUE;
        private KernelStrategy strategy = KernelStrategy.AUTO;

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

        public InferenceEngine build() {
            return new InferenceEngine(this);
        }
    }
}
