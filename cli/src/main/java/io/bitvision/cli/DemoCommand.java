package io.bitvision.cli;

import io.bitvision.cli.demo.EmbeddedDemo;
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

    @Mixin
    PersonModelOptions person = new PersonModelOptions();

    /** @return 0 when every frame was delivered exactly once, 1 otherwise or without a model */
    @Override
    public Integer call() throws Exception {
        atLeast("--cameras", cameras, 1);
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
        var result = EmbeddedDemo.run(ids, video, outDir, Math.min(2, cameras), model.ref(), model.className());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model.description());
        json.put("stand_in_model", model.standIn());
        json.put("frames_read", result.framesRead());
        json.put("records", result.records());
        json.put("duplicates", result.duplicates());
        json.put("gaps", result.gaps());
        json.put("overlay", result.overlay().toString());
        json.put("cameras", result.perCamera());
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("demo.json"), JsonReports.write(json));
        out.println("wrote " + outDir.resolve("demo.json"));
        return result.duplicates() == 0 && result.gaps() == 0 ? 0 : 1;
    }
}
