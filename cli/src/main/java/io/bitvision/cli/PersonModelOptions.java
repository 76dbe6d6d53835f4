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
        Path path = model != null ? model : modelsDir.resolve(PipelineArgs.PERSON_MODEL_NAME);
        if (Files.isRegularFile(path)) {
            return path;
        }
        if (model == null && standIn) {
            return null;
        }
        throw new MissingModelException(path, model == null);
    }

    /** The model file to run; the stand-in does not count. */
    public Path file() throws MissingModelException {
        Path path = model != null ? model : modelsDir.resolve(PipelineArgs.PERSON_MODEL_NAME);
        if (!Files.isRegularFile(path)) {
            throw new MissingModelException(path, model == null);
        }
        return path;
    }

    public Path modelsDir() {
        return modelsDir;
    }

    /** These options as job arguments, for commands that start the job. */
    public java.util.List<String> asJobArgs() {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--models-dir", modelsDir.toString()));
        if (model != null) {
            args.addAll(java.util.List.of("--model", model.toString()));
        }
        if (standIn) {
            args.add("--stand-in-model");
        }
        return args;
    }
}
