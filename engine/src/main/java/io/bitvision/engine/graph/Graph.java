package io.bitvision.engine.graph;

import io.bitvision.engine.tensor.TensorSpec;
import java.util.List;

/**
 * A static, validated graph. Tensor 0 is the input; node i writes tensor i + 1 and reads only earlier tensors,
 * so the node order is an execution order. Construction checks every shape and throws
 * IllegalArgumentException naming the node that does not fit.
 */
public final class Graph {
    private final TensorSpec input;
    private final List<Node> nodes;
    private final int[] outputs;
    private final List<String> outputNames;
    private final TensorSpec[] specs;

    public Graph(TensorSpec input, List<Node> nodes, int[] outputs, List<String> outputNames) {
        this.input = input;
        this.nodes = List.copyOf(nodes);
        this.outputs = outputs.clone();
        this.outputNames = List.copyOf(outputNames);
        if (outputs.length == 0 || outputs.length != outputNames.size()) {
            throw new IllegalArgumentException("graph needs at least one output, each with a name");
        }
        specs = new TensorSpec[nodes.size() + 1];
        specs[0] = input;
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            String where = "node " + i + " (" + node.op().type() + ")";
            int arity = node.op().arity();
            if (arity >= 0 ? node.inputCount() != arity : node.inputCount() < 1) {
                throw new IllegalArgumentException(where + ": takes " + (arity >= 0 ? arity : "1 or more")
                        + " inputs, got " + node.inputCount());
            }
            TensorSpec[] in = new TensorSpec[node.inputCount()];
            for (int k = 0; k < in.length; k++) {
                int id = node.input(k);
                if (id < 0 || id > i) {
                    throw new IllegalArgumentException(where + ": input " + id + " is not an earlier tensor");
                }
                in[k] = specs[id];
            }
            try {
                specs[i + 1] = node.op().outputSpec(in);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        for (int id : outputs) {
            if (id < 0 || id >= specs.length) {
                throw new IllegalArgumentException("graph output " + id + " is not a tensor");
            }
        }
    }

    public TensorSpec input() {
        return input;
    }

    public List<Node> nodes() {
        return nodes;
    }

    public int[] outputs() {
        return outputs.clone();
    }

    public List<String> outputNames() {
        return outputNames;
    }

    public int tensorCount() {
        return specs.length;
    }

    public TensorSpec spec(int tensor) {
        return specs[tensor];
    }

    public TensorSpec[] inputSpecs(int node) {
        Node n = nodes.get(node);
        TensorSpec[] in = new TensorSpec[n.inputCount()];
        for (int k = 0; k < in.length; k++) {
            in[k] = specs[n.input(k)];
        }
        return in;
    }

    public long bitwiseMacs() {
        long total = 0;
        for (int i = 0; i < nodes.size(); i++) {
            total += nodes.get(i).op().bitwiseMacs(inputSpecs(i), specs[i + 1]);
        }
        return total;
    }

    /** Bitwise MACs times their bit-planes: see {@link Op#planeMacs}. */
    public long planeMacs() {
        long total = 0;
        for (int i = 0; i < nodes.size(); i++) {
            total += nodes.get(i).op().planeMacs(inputSpecs(i), specs[i + 1]);
        }
        return total;
    }

    public long otherMacs() {
        long total = 0;
        for (int i = 0; i < nodes.size(); i++) {
            total += nodes.get(i).op().otherMacs(inputSpecs(i), specs[i + 1]);
        }
        return total;
    }
}
