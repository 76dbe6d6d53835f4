package io.bitvision.engine.instance;

import io.bitvision.engine.model.MetadataKeys;
import io.bitvision.engine.model.Model;
import java.util.List;
import java.util.Optional;

/** Chooses the {@link InstanceDecoder} of a model by its metadata key {@value MetadataKeys#DECODER}. */
public final class InstanceDecoders {
    private InstanceDecoders() {}

    /**
     * The decoder the model's metadata names. A model without the key gets {@link SparseInstDecoder} when it has
     * that decoder's outputs (models exported before the key existed), otherwise none.
     *
     * @throws IllegalArgumentException when the metadata names a decoder this engine does not know, or the
     *                                  outputs break the named decoder's contract
     */
    public static Optional<InstanceDecoder> forModel(Model model) {
        String declared = model.metadata().get(MetadataKeys.DECODER);
        if (declared == null) {
            List<String> outputs = model.graph().outputNames();
            return outputs.containsAll(SparseInstDecoder.OUTPUTS)
                    ? Optional.of(new SparseInstDecoder(model)) : Optional.empty();
        }
        return Optional.of(switch (declared) {
            case SparseInstDecoder.DECODER_ID -> new SparseInstDecoder(model);
            case CenterInstDecoder.DECODER_ID -> new CenterInstDecoder(model);
            default -> throw new IllegalArgumentException("model '" + model.name() + "' declares decoder '" + declared
                    + "'; this engine knows " + SparseInstDecoder.DECODER_ID + " and " + CenterInstDecoder.DECODER_ID);
        });
    }
}
