package io.bitvision.cli.bench;

import io.bitvision.benchmarks.faces.FaceBench;
import io.bitvision.cli.CliCommand;
import io.bitvision.cli.PersonModelOptions;
import io.bitvision.jobs.pipeline.PipelineArgs;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench faces}: the face models per face and per frame, and face-event latency in the job. */
@Command(name = "faces", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Face detector and embedder times on a clip with faces, and the latency of face-match events "
                + "in the job (MiniCluster + in-process broker, 1 camera).")
public final class FaceBenchCommand extends CliCommand {
    @Option(names = "--video", paramLabel = "FILE", defaultValue = "/usr/share/doc/opencv-doc/examples/data/Megamind.avi")
    Path video;

    @Mixin
    PersonModelOptions person = new PersonModelOptions();

    @Option(names = "--face-detector", paramLabel = "M.bvm")
    Path detector;

    @Option(names = "--face-model", paramLabel = "M.bvm|M.onnx")
    Path embedder;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench-results/faces.json")
    Path report;

    @Option(names = "--stride", paramLabel = "N", defaultValue = "3", description = "Every N-th frame for the component times.")
    int stride;

    @Option(names = "--enrol-frame", paramLabel = "N", defaultValue = "40")
    int enrolFrame;

    @Option(names = "--checkpoint-ms", paramLabel = "N", defaultValue = "1000")
    long checkpointMs;

    @Override
    public Integer call() throws Exception {
        Path modelsDir = person.modelsDir();
        return FaceBench.run(new FaceBench.Options(video,
                detector != null ? detector : modelsDir.resolve(PipelineArgs.FACE_DETECTOR_NAME),
                embedder != null ? embedder : modelsDir.resolve(PipelineArgs.FACE_EMBEDDER_NAME), person.file(), report,
                atLeast("--stride", stride, 1), atLeast("--enrol-frame", enrolFrame, 0),
                atLeast("--checkpoint-ms", checkpointMs, 100)));
    }
}
