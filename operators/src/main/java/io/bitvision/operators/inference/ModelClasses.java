package io.bitvision.operators.inference;

import io.bitvision.engine.model.MetadataKeys;
import io.bitvision.engine.model.Model;
import java.util.ArrayList;
import java.util.List;

/** The class names a model declares in its metadata ({@link MetadataKeys#CLASSES}): comma-separated, position = id. */
public final class ModelClasses {
    private ModelClasses() {}

    public static List<String> of(Model model) {
        String declared = model.metadata().getOrDefault(MetadataKeys.CLASSES, "");
        List<String> names = new ArrayList<>();
        for (String name : declared.split(",")) {
            if (!name.isBlank()) {
                names.add(name.strip());
            }
        }
        return List.copyOf(names);
    }

    /** The declared name of {@code classId}, or {@code fallback} when the model does not name it. */
    public static String name(Model model, int classId, String fallback) {
        List<String> names = of(model);
        return classId >= 0 && classId < names.size() ? names.get(classId) : fallback;
    }
}
