package io.bitvision.engine.graph;

import io.bitvision.engine.kernel.OutputTransform;
import io.bitvision.engine.tensor.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a stored graph into the graph an engine runs. Today one rewrite: a residual block's end,
 * {@code QUANTIZE(ADD(CONV(a), CONV(b)))} or {@code QUANTIZE(ADD(CONV(a), [UPSAMPLE](r)))} with int32
 * convolutions, becomes one {@link ConvAddQuantizeOp}. A node is folded in only when its output has that single
 * reader and is not a graph output, so every tensor anyone can ask for still exists; the outputs are the
 * stored graph's bit for bit.
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

    /** The graph to run: {@code graph} itself when nothing fuses. */
    public static Graph fuse(Graph graph) {
        GraphFusion fusion = new GraphFusion(graph);
        boolean any = false;
        for (int i = 0; i < graph.nodes().size(); i++) {
            any |= fusion.fuseResidualEnd(i);
        }
        return any ? fusion.rebuild() : graph;
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

    private Graph rebuild() {
        int[] newId = new int[graph.tensorCount()];
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < graph.nodes().size(); i++) {
            if (removed[i]) {
                newId[i + 1] = -1;
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
        int[] outputs = graph.outputs();
        for (int k = 0; k < outputs.length; k++) {
            outputs[k] = newId[outputs[k]];
        }
        return new Graph(graph.input(), nodes, outputs, graph.outputNames());
    }
}
