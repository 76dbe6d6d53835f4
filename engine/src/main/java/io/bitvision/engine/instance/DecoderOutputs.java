package io.bitvision.engine.instance;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.List;

/** The named model outputs a decoder reads: found and type-checked once, shape-checked on every frame. */
public final class DecoderOutputs {
    private final Model model;
    private final String decoderId;
    private final List<String> names;

    /** @param names every output the decoder needs, for the error that names a missing one */
    public DecoderOutputs(Model model, String decoderId, List<String> names) {
        this.model = model;
        this.decoderId = decoderId;
        this.names = names;
    }

    /** The spec of output {@code name}, which must be of {@code type}. */
    public TensorSpec spec(String name, DataType type) {
        int index = model.graph().outputNames().indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("model '" + model.name() + "' has no output '" + name + "' (a "
                    + decoderId + " model needs " + String.join(", ", names) + "); it has "
                    + model.graph().outputNames());
        }
        TensorSpec spec = model.graph().spec(model.graph().outputs()[index]);
        if (spec.type() != type) {
            throw new IllegalArgumentException("model '" + model.name() + "': output '" + name + "' is " + spec
                    + ", " + decoderId + " needs " + type.name().toLowerCase());
        }
        return spec;
    }

    /** The engine's output {@code name}, which must be what the decoder was built for. */
    public Tensor read(InferenceEngine engine, String name, TensorSpec expected) {
        Tensor tensor = engine.output(name);
        if (!tensor.spec().equals(expected)) {
            throw new IllegalArgumentException("engine output '" + name + "' is " + tensor.spec()
                    + ", the decoder was built for " + expected + " (model '" + model.name() + "')");
        }
        return tensor;
    }

    public IllegalArgumentException invalid(String problem) {
        return new IllegalArgumentException("model '" + model.name() + "': " + problem);
    }
}
