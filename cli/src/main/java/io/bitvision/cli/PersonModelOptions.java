package io.bitvision.cli;

import io.bitvision.jobs.pipeline.PipelineArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The person model of a command ({@code --model}, else {@value PipelineArgs#PERSON_MODEL_NAME} in
 * {@code --models-dir}), failing closed: without one, only {@code --stand-in-model} runs the hand-built stand-in.
 */
public final class PersonModelOptions {
    @Option(names = "--model", paramLabel = "M.bvm",
            description = "Person model (default: " + PipelineArgs.PERSON_MODEL_NAME + " in --models-dir).")
    Path model;

    @Option(names = "--models-dir", paramLabel = "DIR", defaultValue = PipelineArgs.DEFAULT_MODELS_DIR,
            description = "Where the shipped models are (default: models/ beside ./bitvision).")
    Path modelsDir;

    @Option(names = "--stand-in-model",
            description = "Without a person model, run the hand-built stand-in (marks dark regions, not people).")
    boolean standIn;

    public PersonModelOptions() {}

    /** For tests and callers outside picocli. */
    public PersonModelOptions(Path model, Path modelsDir, boolean standIn) {
        this.model = model;
        this.modelsDir = modelsDir;
        this.standIn = standIn;
    }

    /** The model file to run, or null when the stand-in was asked for and there is none. */
    public Path fileOrStandIn() throws MissingModelException {
        if (model == null && standIn && !Files.isRegularFile(defaultFile())) {
            return null;
        }
        return file();
    }

    /** The model file to run; the stand-in does not count. */
    public Path file() throws MissingModelException {
        Path path = model != null ? model : defaultFile();
        if (!Files.isRegularFile(path)) {
            throw new MissingModelException(path, model == null);
        }
        return path;
    }

    public Path modelsDir() {
        return modelsDir;
    }

    private Path defaultFile() {
        return modelsDir.resolve(PipelineArgs.PERSON_MODEL_NAME);
    }
}
