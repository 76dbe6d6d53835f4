package io.bitvision.cli;

import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelFormatException;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.operators.inference.DarkRegionsModel;
import io.bitvision.operators.inference.ModelClasses;
import io.bitvision.operators.inference.ModelRef;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Which model a pipeline command ({@code demo}) runs: the one given with {@code --model}, else the shipped person
 * model; the hand-built stand-in only when {@code --stand-in-model} asks for it, with a warning.
 */
final class ModelChoice {
    /** The pipeline's model with the name its instances get in the mask records; {@code standIn} when it is the stand-in. */
    record PipelineModel(ModelRef ref, String description, String className, boolean standIn) {}

    private ModelChoice() {}

    static PipelineModel forPipeline(PersonModelOptions options, PrintStream err)
            throws IOException, ModelFormatException {
        Path path = options.fileOrStandIn();
        if (path != null) {
            Model model = ModelReader.read(path);
            return new PipelineModel(ModelRef.ofFile(path), model.name() + " v" + model.version() + " (" + path + ")",
                    ModelClasses.name(model, 0, "person"), false);
        }
        err.println(standInWarning());
        Model model = DarkRegionsModel.build(576, 768, 70);
        return new PipelineModel(ModelRef.ofBytes(model.name(), ModelWriter.toBytes(model)),
                model.name() + " (stand-in)", "dark-region", true);
    }

    static String standInWarning() {
        return "warning: running the hand-built stand-in model '" + DarkRegionsModel.NAME
                + "', which marks dark regions, not people (--stand-in-model)";
    }
}
