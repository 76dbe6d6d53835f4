package io.bitvision.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import io.bitvision.jobs.pipeline.PipelineArgs;

import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelFormatException;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.testkit.report.JsonReports;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code model-info [MODEL] [--out F]}: a model's {@link ModelReport} as JSON, printed and written to F. */
@Command(name = "model-info", mixinStandardHelpOptions = true,
        description = "A model's size, MACs, memory plan (skip_bytes against a plain U-Net's skip_bytes_plain) and "
                + "metadata as JSON; written to --out too.")
public final class ModelInfoCommand extends CliCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL.bvm", description = "Default: the person model.")
    Path given;

    @Option(names = "--models-dir", paramLabel = "DIR", defaultValue = PipelineArgs.DEFAULT_MODELS_DIR,
            description = "Where the shipped models are (default: models/ beside ./bitvision).")
    Path modelsDir;

    @Option(names = "--out", paramLabel = "REPORT.json", description = "Also write the report here.")
    Path report;

    /** @return the exit status: 0 done, 1 the model could not be read, 2 bad arguments */
    @Override
    public Integer call() throws IOException {
        Path path;
        Model model;
        try {
            path = new PersonModelOptions(given, modelsDir, false).file();
            model = ModelReader.read(path);
        } catch (MissingModelException e) {
            err.println("model-info: " + e.getMessage());
            return 1;
        } catch (ModelFormatException e) {
            err.println("model-info: " + (given != null ? given : modelsDir.resolve(PipelineArgs.PERSON_MODEL_NAME)) + ": "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
        String json = JsonReports.write(ModelReport.of(model, Files.size(path)));
        out.print(json);
        if (report != null) {
            if (report.toAbsolutePath().getParent() != null) {
                Files.createDirectories(report.toAbsolutePath().getParent());
            }
            Files.writeString(report, json);
            err.println("wrote " + report);
        }
        return 0;
    }
}
