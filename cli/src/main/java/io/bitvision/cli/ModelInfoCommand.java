package io.bitvision.cli;

import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelFormatException;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.testkit.report.JsonReports;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code model-info [MODEL] [--out F]}: a model's {@link ModelReport} as JSON, printed and written to F. */
final class ModelInfoCommand {
    static final String USAGE = "usage: ./bitvision model-info [MODEL.bvm] [--out REPORT.json]  (default model "
            + ModelChoice.DEFAULT_MODEL + ")";

    private ModelInfoCommand() {}

    /** @return the exit status: 0 done, 1 the model could not be read, 2 bad arguments */
    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        Path given = null;
        Path report = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                report = Path.of(args[++i]);
            } else if (!args[i].startsWith("--") && given == null) {
                given = Path.of(args[i]);
            } else {
                err.println("model-info: unexpected argument " + args[i]);
                err.println(USAGE);
                return 2;
            }
        }
        Path path;
        Model model;
        try {
            path = ModelChoice.require(given);
            model = ModelReader.read(path);
        } catch (MissingModelException e) {
            err.println("model-info: " + e.getMessage());
            return 1;
        } catch (ModelFormatException e) {
            err.println("model-info: " + (given != null ? given : ModelChoice.DEFAULT_MODEL) + ": "
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
