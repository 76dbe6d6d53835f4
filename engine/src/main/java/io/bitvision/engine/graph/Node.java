package io.bitvision.engine.graph;

/** One step of the graph: an operator and the ids of the tensors it reads. Its output is tensor (index + 1). */
public record Node(Op op, int[] inputs) {
    public Node {
        inputs = inputs.clone();
    }

    @Override
    public int[] inputs() {
        return inputs.clone();
    }

    int input(int i) {
        return inputs[i];
    }

    int inputCount() {
        return inputs.length;
    }
}
