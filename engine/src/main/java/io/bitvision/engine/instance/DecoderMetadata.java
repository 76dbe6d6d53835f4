package io.bitvision.engine.instance;

import io.bitvision.engine.model.MetadataKeys;
import io.bitvision.engine.model.Model;
import java.util.Map;

/** Reads and checks the decoder settings in a model's metadata; a missing key takes the decoder's default. */
public final class DecoderMetadata {
    private DecoderMetadata() {}

    /** A model without the key is taken as meant for this decoder; one that names another is refused. */
    public static void requireDecoder(Model model, String decoderId) {
        String declared = model.metadata().get(MetadataKeys.DECODER);
        if (declared != null && !declared.equals(decoderId)) {
            throw new IllegalArgumentException("model '" + model.name() + "' declares decoder '" + declared
                    + "', not " + decoderId);
        }
    }

    public static float scoreThreshold(Map<String, String> metadata, float fallback) {
        return checkScoreThreshold(floatSetting(metadata, MetadataKeys.SCORE_THRESHOLD, fallback));
    }

    static float checkScoreThreshold(float threshold) {
        if (!(threshold >= 0f && threshold <= 1f)) {
            throw new IllegalArgumentException(MetadataKeys.SCORE_THRESHOLD + " must be in [0, 1]: " + threshold);
        }
        return threshold;
    }

    static float maskThreshold(Map<String, String> metadata, float fallback) {
        float threshold = floatSetting(metadata, MetadataKeys.MASK_THRESHOLD, fallback);
        if (!(threshold > 0f && threshold < 1f)) {
            throw new IllegalArgumentException(MetadataKeys.MASK_THRESHOLD + " must be in (0, 1): " + threshold);
        }
        return threshold;
    }

    public static float floatSetting(Map<String, String> metadata, String key, float fallback) {
        String text = metadata.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            return Float.parseFloat(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata " + key + "='" + text + "' is not a number");
        }
    }

    static int maxInstances(Map<String, String> metadata, int fallback) {
        String text = metadata.get(MetadataKeys.MAX_INSTANCES);
        if (text == null) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata " + MetadataKeys.MAX_INSTANCES + "='" + text + "' is not an integer");
        }
        if (value < 1) {
            throw new IllegalArgumentException(MetadataKeys.MAX_INSTANCES + " must be at least 1: " + value);
        }
        return value;
    }
}
