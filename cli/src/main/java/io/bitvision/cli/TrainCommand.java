package io.bitvision.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code train}: adapts the person model to a static camera from unlabelled footage: pseudo-labels (MOG2 x the
 * CenterNet teacher), training, export (training/README.md). Runs Debian's Python, which has Debian's torch.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Adapt the person model to a static camera from unlabelled footage (pseudo-labels, training, "
                + "export; training/README.md); writes DIR/person.bvm.")
public final class TrainCommand extends CliCommand {
    /** Debian's interpreter: the one that imports Debian's python3-torch. */
    static final String DEBIAN_PYTHON = "/usr/bin/python3";

    @Option(names = "--video", required = true, paramLabel = "PATH_OR_URL")
    String video;

    @Option(names = "--frames", paramLabel = "A:B", defaultValue = "0:600")
    String frames;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "30")
    int epochs;

    @Option(names = "--out", paramLabel = "DIR", description = "Default: .bitvision/train/<video name>.")
    Path outDir;

    /** Anything else goes to bitvision_train.person.train (its own options, such as --batch). */
    @Unmatched
    List<String> extra = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        atLeast("--epochs", epochs, 1);
        if (!frames.matches("\\d+:\\d+")) {
            throw usageError("--frames takes A:B (frame numbers), got '" + frames + "'");
        }
        String stem = Path.of(video).getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Path dir = (outDir != null ? outDir : Path.of(".bitvision", "train", stem)).toAbsolutePath();
        Files.createDirectories(dir);
        String videoArg = video.contains("://") ? video : Path.of(video).toAbsolutePath().toString();
        Path labels = dir.resolve("labels.json.gz");
        if (!Files.isRegularFile(labels)) {
            int status = python(Path.of("training", "pseudolabel"), List.of("pseudolabel.py", "--video", videoArg,
                    "--frames", frames, "--out", labels.toString(), "--teacher-cache", dir.resolve("teacher.jsonl.gz").toString()));
            if (status != 0) {
                err.println("train: pseudo-labelling failed (exit status " + status + ")");
                return 1;
            }
        }
        List<String> train = new ArrayList<>(List.of("-m", "bitvision_train.person.train", "--video", videoArg, "--labels",
                labels.toString(), "--frames", frames, "--epochs", Integer.toString(epochs), "--out", dir.toString()));
        train.addAll(extra);
        int status = python(Path.of("training"), train);
        if (status != 0) {
            err.println("train: training failed (exit status " + status + ")");
            return 1;
        }
        err.println("bitvision: model written to " + dir.resolve("person.bvm") + "; run it with ./bitvision run --model "
                + dir.resolve("person.bvm") + " ...");
        return 0;
    }

    private static int python(Path workDir, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(DEBIAN_PYTHON));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).inheritIO();
        builder.environment().put("OPENBLAS_NUM_THREADS", "1");
        return builder.start().waitFor();
    }
}
