package io.bitvision.engine.model;

import io.bitvision.engine.graph.ConvOp;
import io.bitvision.engine.graph.FloatConvOp;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.kernel.BinaryConvWeights;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.HashSet;
import java.util.Set;

/** Counts that reports and the CLI print about a model. */
public final class ModelStats {
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

    /**
     * Bytes a plain per-scale-skip U-Net would hold in skip tensors: the storage, without halo, of the tensors
     * listed in the metadata key {@value MetadataKeys#SKIP_PLAIN_TENSORS}; 0 when the model has no such key.
     *
     * @throws IllegalArgumentException when the list names something that is not a tensor of the graph
     */
    public static long plainSkipBytes(Model model) {
        return listedTensorBytes(model, MetadataKeys.SKIP_PLAIN_TENSORS);
    }

    /**
     * Bytes of the one stored skip map of a UNet-- style model (metadata {@code skip.map_tensor}), without halo, on
     * the same measure as {@link #plainSkipBytes}; 0 when the model names none.
     */
    public static long mapSkipBytes(Model model) {
        return listedTensorBytes(model, MetadataKeys.SKIP_MAP_TENSOR);
    }

    private static long listedTensorBytes(Model model, String key) {
        String list = model.metadata().get(key);
        if (list == null || list.isBlank()) {
            return 0;
        }
        Graph graph = model.graph();
        Set<Integer> seen = new HashSet<>();
        long total = 0;
        for (String item : list.split(",", -1)) {
            int id;
            try {
                id = Integer.parseInt(item.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " of model '" + model.name()
                        + "': '" + item + "' is not a tensor id in '" + list + "'");
            }
            if (id < 0 || id >= graph.tensorCount()) {
                throw new IllegalArgumentException(key + " of model '" + model.name()
                        + "': tensor " + id + " does not exist (the graph has tensors 0.." + (graph.tensorCount() - 1) + ")");
            }
            if (!seen.add(id)) {
                throw new IllegalArgumentException(key + " of model '" + model.name()
                        + "': tensor " + id + " is listed twice in '" + list + "'");
            }
            total += storageBytesWithoutHalo(graph.spec(id));
        }
        return total;
    }

    static long storageBytesWithoutHalo(TensorSpec spec) {
        return spec.type() == DataType.BITS
                ? BitTensor.storageWords(spec, 0, 0) * Long.BYTES
                : spec.channels() * spec.pixels() * 4;
    }
}
