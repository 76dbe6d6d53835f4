package io.bitvision.operators.inference;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * How a Flink function finds its model: the bytes of a model file, shipped with the job graph (models are
 * small: the person model is well under a megabyte). Loaded once per TaskManager by {@link SharedModels}.
 */
public record ModelRef(String description, byte[] bytes) implements Serializable {
    public static ModelRef ofFile(Path path) throws java.io.IOException {
        return new ModelRef(path.toString(), java.nio.file.Files.readAllBytes(path));
    }

    public static ModelRef ofBytes(String description, byte[] bytes) {
        return new ModelRef(description, bytes.clone());
    }
}
