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
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which model a command runs: the one given with {@code --model}, else the committed person model. Only the
 * pipeline commands ({@code demo}, {@code run}) fall back, with a warning, to the hand-built stand-in when the
 * default file is missing; {@code infer} and {@code model-info} need a real file.
 */
final class ModelChoice {
    /** Relative to the working directory, which ./bitvision sets to the repository root. */
    static final Path DEFAULT_MODEL = Path.of("models", "person-v1.bvm");

    /** The pipeline's model with the name its instances get in the mask records; {@code standIn} when it fell back. */
    record PipelineModel(ModelRef ref, String description, String className, boolean standIn) {}

    private ModelChoice() {}

    /** {@code given}, or the default model when null; either must exist. */
    static Path require(Path given) throws MissingModelException {
        Path path = given != null ? given : DEFAULT_MODEL;
        if (!Files.isRegularFile(path)) {
            throw new MissingModelException(path, given == null);
        }
        return path;
    }

    /** {@code given} (which must exist), else the default model, else the stand-in with a warning on {@code err}. */
    static PipelineModel forPipeline(Path given, PrintStream err) throws IOException, ModelFormatException {
        if (given != null || Files.isRegularFile(DEFAULT_MODEL)) {
            Path path = require(given);
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
        return "warning: " + DEFAULT_MODEL + " not found; falling back to the hand-built stand-in model '"
                + DarkRegionsModel.NAME + "', which marks dark regions, not people (pass --model PATH for another model)";
    }
}
