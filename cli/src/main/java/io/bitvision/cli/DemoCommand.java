package io.bitvision.cli;

import io.bitvision.cli.demo.EmbeddedDemo;
import io.bitvision.cli.demo.FaceCamera;
import io.bitvision.engine.model.ModelFormatException;
import io.bitvision.testkit.clips.SampleVideo;
import io.bitvision.testkit.report.JsonReports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code demo}: the pipeline on the embedded default, checked as a consumer would. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The pipeline on the embedded default: in-process Kafka broker, local Flink MiniCluster, the "
                + "sample video (vtest.avi) as N cameras; checks the topics as a read_committed consumer, writes "
                + "DIR/demo.json and an overlay of masks and track ids.")
public final class DemoCommand extends CliCommand {
    @Option(names = "--cameras", paramLabel = "N", defaultValue = "2")
    int cameras;

    @Option(names = "--out-dir", paramLabel = "DIR", defaultValue = "bench-results")
    Path outDir;

    @Option(names = "--console", description = "Also run the web console (previews on): printed URL; it stays up "
            + "after the job ends, until Ctrl-C.")
    boolean console;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "The console's port (default 8080).")
    int port;

    @Option(names = "--face-clip", paramLabel = "CLIP", description = "The face camera's clip (default: "
            + "samples/face-demographics-walking-and-pause.gif); a person is enrolled from its frame 20.")
    Path faceClip = FaceCamera.DEFAULT_CLIP;

    @Option(names = "--no-faces", description = "Run without the face camera and its watchlist.")
    boolean noFaces;

    @Mixin
    PersonModelOptions person = new PersonModelOptions();

    /** @return 0 when every frame was delivered exactly once, 1 otherwise or without a model */
    @Override
    public Integer call() throws Exception {
        atLeast("--cameras", cameras, 1);
        if (!console && spec.commandLine().getParseResult().hasMatchedOption("--port")) {
            throw usageError("--port goes with --console");
        }
        if (port < 0 || port > 65535) {
            throw usageError("--port must be 0..65535, was " + port);
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < cameras; i++) {
            ids.add("vtest-" + (char) ('a' + i));
        }
        ModelChoice.PipelineModel model;
        try {
            model = ModelChoice.forPipeline(person, err);
        } catch (MissingModelException | ModelFormatException e) {
            err.println("demo: " + e.getMessage());
            return 1;
        }
        Path video = SampleVideo.vtest(Path.of(".bitvision/samples"));
        out.println("bitvision demo: " + ids + " <- " + video);
        out.println("model: " + model.description() + ", instances named '" + model.className() + "'");
        String modelDescription = model.description();
        boolean standIn = model.standIn();
        EmbeddedDemo.ConsoleOptions consoleOptions = console
                ? new EmbeddedDemo.ConsoleOptions(port, person.modelsDir, 2, r -> report(r, modelDescription, standIn))
                : null;
        FaceCamera faces = null;
        if (!noFaces) {
            try {
                faces = FaceCamera.prepare("faces-1", faceClip, person.modelsDir, FaceCamera.DEFAULT_ENROL_FRAME);
            } catch (FaceCamera.Unavailable e) {
                out.println("demo: no face camera: " + e.getMessage());
            }
        }
        var result = EmbeddedDemo.run(ids, video, outDir, Math.min(2, cameras), model.ref(), model.className(),
                consoleOptions, faces);
        report(result, modelDescription, standIn);
        return result.duplicates() == 0 && result.gaps() == 0 ? 0 : 1;
    }

    private void report(EmbeddedDemo.Result result, String modelDescription, boolean standIn) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", modelDescription);
        json.put("stand_in_model", standIn);
        json.put("frames_read", result.framesRead());
        json.put("records", result.records());
        json.put("duplicates", result.duplicates());
        json.put("gaps", result.gaps());
        json.put("overlay", result.overlay().toString());
        json.put("cameras", result.perCamera());
        json.put("faces", result.faces());
        try {
            Files.createDirectories(outDir);
            Files.writeString(outDir.resolve("demo.json"), JsonReports.write(json));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.println("wrote " + outDir.resolve("demo.json"));
    }
}
