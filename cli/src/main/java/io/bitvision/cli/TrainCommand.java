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
    /** The shipped person model's training checkpoint, relative to the repository. */
    static final String DEFAULT_START = "training/checkpoints/person-v1.pt";

    @Option(names = "--video", required = true, paramLabel = "PATH_OR_URL")
    String video;

    @Option(names = "--frames", paramLabel = "A:B", defaultValue = "0:600")
    String frames;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "30")
    int epochs;

    @Option(names = "--out", paramLabel = "DIR", description = "Default: .bitvision/train/<video name>.")
    Path outDir;

    @Option(names = "--from", paramLabel = "CHECKPOINT.pt", defaultValue = DEFAULT_START,
            description = "Start from these weights (default: the shipped model's, " + DEFAULT_START + ").")
    Path from;

    @Option(names = "--from-scratch", description = "Start from random weights instead.")
    boolean fromScratch;

    @Option(names = "--eval-frames", paramLabel = "C:D", description = "Frames after the training window to compare "
            + "the model before and after on (default: the 200 frames after --frames).")
    String evalFrames;

    /** Anything else goes to bitvision_train.person.train (its own options, such as --batch). */
    @Unmatched
    List<String> extra = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        atLeast("--epochs", epochs, 1);
        if (!frames.matches("\\d+:\\d+")) {
            throw usageError("--frames takes A:B (frame numbers), got '" + frames + "'");
        }
        int trainEnd = Integer.parseInt(frames.substring(frames.indexOf(':') + 1));
        String compared = evalFrames != null ? evalFrames : trainEnd + ":" + (trainEnd + 200);
        if (!compared.matches("\\d+:\\d+") || Integer.parseInt(compared.substring(0, compared.indexOf(':'))) < trainEnd) {
            throw usageError("--eval-frames takes C:D after the training window (C >= " + trainEnd + "), got '" + compared + "'");
        }
        Path start = fromScratch ? null : from.toAbsolutePath();
        if (start != null && !Files.isRegularFile(start)) {
            err.println("train: no checkpoint to start from at " + start + "; give --from CHECKPOINT.pt or --from-scratch");
            return 1;
        }
        String labelled = frames.substring(0, frames.indexOf(':')) + compared.substring(compared.indexOf(':'));
        String stem = Path.of(video).getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Path dir = (outDir != null ? outDir : Path.of(".bitvision", "train", stem)).toAbsolutePath();
        Files.createDirectories(dir);
        String videoArg = video.contains("://") ? video : Path.of(video).toAbsolutePath().toString();
        Path labels = dir.resolve("labels.json.gz");
        if (!Files.isRegularFile(labels)) {
            // The frames after the training window are labelled too, to compare the models on.
            int status = python(Path.of("training", "pseudolabel"), List.of("pseudolabel.py", "--video", videoArg,
                    "--frames", labelled, "--out", labels.toString(), "--teacher-cache", dir.resolve("teacher.jsonl.gz").toString()));
            if (status != 0) {
                err.println("train: pseudo-labelling failed (exit status " + status + ")");
                return 1;
            }
        }
        List<String> train = new ArrayList<>(List.of("-m", "bitvision_train.person.train", "--video", videoArg, "--labels",
                labels.toString(), "--frames", frames, "--epochs", Integer.toString(epochs), "--out", dir.toString()));
        if (start != null) {
            train.addAll(List.of("--resume", start.toString()));
        }
        // Named after its camera, so mask records say which adapted model made them.
        train.addAll(List.of("--name", "person-" + stem.replaceAll("[^A-Za-z0-9._-]", "_")));
        train.addAll(extra);
        int status = python(Path.of("training"), train);
        if (status != 0) {
            err.println("train: training failed (exit status " + status + ")");
            return 1;
        }
        err.println("bitvision: model written to " + dir.resolve("person.bvm") + "; run it with ./bitvision run --model "
                + dir.resolve("person.bvm") + " ...");
        return start == null ? 0 : compare(videoArg, labels, compared, start, dir);
    }

    /**
     * Scores the starting weights and the adapted ones on the frames after the training window (against their
     * pseudo-labels) and says whether adapting helped; the adapted model is kept either way, the verdict decides
     * which one to run.
     */
    private int compare(String videoArg, Path labels, String compared, Path start, Path dir)
            throws IOException, InterruptedException {
        Path before = dir.resolve("before.json");
        Path after = dir.resolve("after.json");
        for (var run : List.of(List.of(start.toString(), before.toString()),
                List.of(dir.resolve("checkpoint.pt").toString(), after.toString()))) {
            int status = python(Path.of("training"), List.of("-m", "bitvision_train.person.evaluate", "--checkpoint",
                    run.get(0), "--video", videoArg, "--labels", labels.toString(), "--frames", compared, "--out", run.get(1)));
            if (status != 0) {
                err.println("train: evaluating " + run.get(0) + " failed (exit status " + status + ")");
                return 1;
            }
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var b = json.readTree(before.toFile());
        var a = json.readTree(after.toFile());
        double gain = a.get("best_f1").asDouble() - b.get("best_f1").asDouble();
        boolean better = gain >= 0;
        java.util.Map<String, Object> report = new java.util.LinkedHashMap<>();
        report.put("frames", compared);
        report.put("start", start.toString());
        report.put("before", json.convertValue(b, java.util.Map.class));
        report.put("after", json.convertValue(a, java.util.Map.class));
        report.put("best_f1_gain", gain);
        report.put("adapted_is_better", better);
        Files.writeString(dir.resolve("adaptation.json"), io.bitvision.testkit.report.JsonReports.write(report));
        out.printf(java.util.Locale.ROOT, "train: frames %s (after the training window, against their pseudo-labels): "
                        + "before F1 %.3f (recall %.3f, precision %.3f, mask AP %.3f), after F1 %.3f (recall %.3f, "
                        + "precision %.3f, mask AP %.3f): %s%n", compared,
                b.get("best_f1").asDouble(), b.get("recall_at_best").asDouble(), b.get("precision_at_best").asDouble(),
                b.get("mask_ap").asDouble(), a.get("best_f1").asDouble(), a.get("recall_at_best").asDouble(),
                a.get("precision_at_best").asDouble(), a.get("mask_ap").asDouble(),
                better ? "the adapted model is better; run " + dir.resolve("person.bvm")
                        : "the adapted model is worse; keep the model it started from");
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
