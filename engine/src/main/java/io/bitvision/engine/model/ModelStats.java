package io.bitvision.engine.model;

import io.bitvision.engine.graph.ConvOp;
import io.bitvision.engine.graph.FloatConvOp;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.kernel.BinaryConvWeights;

/** Counts that reports and the CLI print about a model. */
final class ModelStats {
    private ModelStats() {}

    static long parameters(Graph graph) {
        long total = 0;
        for (Node node : graph.nodes()) {
            if (node.op() instanceof ConvOp conv) {
                total += BinaryConvWeights.canonicalBits(conv.geometry());
            } else if (node.op() instanceof FloatConvOp f) {
                total += (long) f.inChannels() * f.outChannels() + f.outChannels();
            }
        }
        return total;
    }
}
