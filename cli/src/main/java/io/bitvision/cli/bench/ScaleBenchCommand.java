package io.bitvision.cli.bench;

import io.bitvision.benchmarks.live.AvroPackages;
import io.bitvision.benchmarks.scale.ScaleBench;
import io.bitvision.cli.CliCommand;
import io.bitvision.cli.console.ConsoleOnlooker;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench scale}: how many live cameras one TaskManager slot keeps up with. */
@Command(name = "scale", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Cameras per TaskManager slot: N = --from, ... live cameras (the video replayed at its rate, "
                + "drop-to-latest) on one slot until a camera's processed rate falls below --keep-up of its rate or "
                + "more than --max-drop of its frames drop; --cluster: on a slot of the local standalone cluster.")
public final class ScaleBenchCommand extends CliCommand {
    @Mixin
    BenchInputs inputs = new BenchInputs();

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench-results/scale.json")
    Path report;

    @Option(names = "--from", paramLabel = "N", defaultValue = "1", description = "First N (smaller N are not reported as measured).")
    int from;

    @Option(names = "--max-cameras", paramLabel = "N", defaultValue = "8")
    int maxCameras;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "60", description = "Measured window per N.")
    int seconds;

    @Option(names = "--warmup-s", paramLabel = "N", defaultValue = "15")
    int warmupSeconds;

    @Option(names = "--checkpoint-ms", paramLabel = "N", defaultValue = "2000")
    long checkpointMs;

    @Option(names = "--keep-up", paramLabel = "F", defaultValue = "0.95")
    double keepUp;

    @Option(names = "--max-drop", paramLabel = "F", defaultValue = "0.01")
    double maxDrop;

    @Option(names = "--cluster", description = "On a TaskManager slot of the local standalone cluster.")
    boolean onCluster;

    @Option(names = "--console", description = "With the operators' console open on the job (previews on, headless "
            + "Chromium showing the camera grid); its CPU is reported.")
    boolean console;

    @Option(names = "--no-browser", description = "With --console: the console alone, no browser on this machine.")
    boolean noBrowser;

    ScaleBench.Options options() throws Exception {
        atLeast("--from", from, 1);
        atLeast("--max-cameras", maxCameras, 1);
        atLeast("--seconds", seconds, 5);
        atLeast("--warmup-s", warmupSeconds, 0);
        atLeast("--checkpoint-ms", checkpointMs, 100);
        fraction("--keep-up", keepUp);
        fraction("--max-drop", maxDrop);
        if (console && onCluster) {
            throw usageError("--console goes with the MiniCluster run, not --cluster");
        }
        if (noBrowser && !console) {
            throw usageError("--no-browser goes with --console");
        }
        if (console && !noBrowser && ConsoleOnlooker.missing() != null) {
            throw usageError("--console needs " + ConsoleOnlooker.missing());
        }
        return new ScaleBench.Options(inputs.video(), report, inputs.model(), from, maxCameras, seconds, warmupSeconds,
                checkpointMs, keepUp, maxDrop, onCluster, console ? new ConsoleOnlooker(inputs.modelsDir(), !noBrowser) : null);
    }

    @Override
    public Integer call() throws Exception {
        ScaleBench.Options options = options();
        AvroPackages.trustOurs();
        return ScaleBench.run(options);
    }
}
