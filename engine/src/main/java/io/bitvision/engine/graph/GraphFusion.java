package io.bitvision.engine.graph;

import io.bitvision.engine.kernel.OutputTransform;
import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a stored graph into the graph an engine runs, with two rewrites:
 * <ul>
 *   <li>a residual block's end, {@code QUANTIZE(ADD(CONV(a), CONV(b)))} or {@code QUANTIZE(ADD(CONV(a),
 *       [UPSAMPLE](r)))} with int32 convolutions, becomes one {@link ConvAddQuantizeOp};</li>
 *   <li>an image stem, a first {@link PatchPackOp} over an 8-bit image of at most 8 channels whose patch fits one
 *       word, leaves the graph: the run graph's input is the patch tensor, which
 *       {@link io.bitvision.engine.PatchImagePacker} fills from pixels directly.</li>
 * </ul>
 * A node is folded in only when its output has that single reader and is not a graph output, so every tensor
 * anyone can ask for still exists; the outputs are the stored graph's bit for bit.
 */
public final class GraphFusion {
    private final Graph graph;
    private final int[] readers;
    private final boolean[] isOutput;
    private final boolean[] removed;
    private final Node[] replaced;

    private GraphFusion(Graph graph) {
        this.graph = graph;
        readers = new int[graph.tensorCount()];
        isOutput = new boolean[graph.tensorCount()];
        for (Node node : graph.nodes()) {
            for (int id : node.inputs()) {
                readers[id]++;
            }
        }
        for (int id : graph.outputs()) {
            isOutput[id] = true;
        }
        removed = new boolean[graph.nodes().size()];
        replaced = new Node[graph.nodes().size()];
    }

    /**
     * The graph to run ({@code graph} itself when nothing fuses) and the image stem taken out of it (null when the
     * run graph's input is the stored graph's).
     */
    public record Fused(Graph graph, PatchPackOp imageStem) {}

    public static Fused fuse(Graph graph) {
        GraphFusion fusion = new GraphFusion(graph);
        boolean any = false;
        for (int i = 0; i < graph.nodes().size(); i++) {
            any |= fusion.fuseResidualEnd(i);
        }
        PatchPackOp stem = fusion.imageStem();
        if (stem != null) {
            fusion.removed[0] = true;
        }
        return any || stem != null ? new Fused(fusion.rebuild(stem != null), stem) : new Fused(graph, null);
    }

    private PatchPackOp imageStem() {
        if (graph.nodes().isEmpty() || !(graph.nodes().getFirst().op() instanceof PatchPackOp stem)
                || graph.nodes().getFirst().input(0) != 0 || !internal(0)
                || !stem.packsImageDirectly(graph.input())) {
            return null;
        }
        return stem;
    }

    private boolean fuseResidualEnd(int node) {
        if (!(graph.nodes().get(node).op() instanceof QuantizeOp quantize)) {
            return false;
        }
        int sum = graph.nodes().get(node).input(0);
        Node add = producer(sum);
        if (add == null || !(add.op() instanceof AddOp) || !internal(sum)) {
            return false;
        }
        for (int k = 0; k < 2; k++) {
            int main = add.input(k);
            int other = add.input(1 - k);
            ConvOp conv = intConv(main);
            if (conv == null || main == other) {
                continue;
            }
            int mainIn = producer(main).input(0);
            ConvOp second = intConv(other);
            if (second != null) {
                replace(node, ConvAddQuantizeOp.ofTwoConvs(conv, second, quantize), mainIn, producer(other).input(0));
                removed[main - 1] = true;
                removed[other - 1] = true;
            } else if (producer(other) != null && producer(other).op() instanceof UpsampleOp up && internal(other)
                    && graph.spec(producer(other).input(0)).type() == DataType.INT32) {
                replace(node, ConvAddQuantizeOp.ofResidual(conv, up.factor(), quantize), mainIn, producer(other).input(0));
                removed[main - 1] = true;
                removed[other - 1] = true;
            } else if (graph.spec(other).type() == DataType.INT32) {
                replace(node, ConvAddQuantizeOp.ofResidual(conv, 1, quantize), mainIn, other);
                removed[main - 1] = true;
            } else {
                continue;
            }
            removed[sum - 1] = true;
            return true;
        }
        return false;
    }

    private void replace(int node, Op op, int input0, int input1) {
        replaced[node] = new Node(op, new int[] {input0, input1});
    }

    /** The convolution with int32 output that writes {@code tensor} for this one reader, or null. */
    private ConvOp intConv(int tensor) {
        Node node = producer(tensor);
        if (node != null && internal(tensor) && node.op() instanceof ConvOp conv
                && conv.transform() instanceof OutputTransform.IntBias) {
            return conv;
        }
        return null;
    }

    /** The node that writes {@code tensor}, or null for the graph input and for nodes already folded away. */
    private Node producer(int tensor) {
        return tensor == 0 || removed[tensor - 1] ? null : graph.nodes().get(tensor - 1);
    }

    private boolean internal(int tensor) {
        return readers[tensor] == 1 && !isOutput[tensor];
    }

    /** The graph without removed nodes; with {@code stemRemoved}, node 0's output becomes the input (tensor 0). */
    private Graph rebuild(boolean stemRemoved) {
        int[] newId = new int[graph.tensorCount()];
        List<Node> nodes = new ArrayList<>();
        if (stemRemoved) {
            newId[0] = -1;
        }
        for (int i = 0; i < graph.nodes().size(); i++) {
            if (removed[i]) {
                newId[i + 1] = i == 0 && stemRemoved ? 0 : -1;
                continue;
            }
            Node node = replaced[i] != null ? replaced[i] : graph.nodes().get(i);
            int[] inputs = node.inputs();
            for (int k = 0; k < inputs.length; k++) {
                inputs[k] = newId[inputs[k]];
                if (inputs[k] < 0) {
                    throw new IllegalStateException("fusion removed tensor read by node " + i);
                }
            }
            nodes.add(new Node(node.op(), inputs));
            newId[i + 1] = nodes.size();
        }
        TensorSpec input = stemRemoved ? graph.spec(1) : graph.input();
        int[] outputs = graph.outputs();
        for (int k = 0; k < outputs.length; k++) {
            outputs[k] = newId[outputs[k]];
        }
        return new Graph(input, nodes, outputs, graph.outputNames());
    }
}
