package io.bitvision.cli.bench;

import io.bitvision.benchmarks.live.AvroPackages;
import io.bitvision.benchmarks.faults.FaultBench;
import io.bitvision.cli.CliCommand;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench faults}: healthy cameras alone, then next to faulty ones. */
@Command(name = "faults", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Healthy live cameras alone, then next to a camera that disconnects and returns, one that never "
                + "answers, one that sends garbage and a closed port: the healthy ones' processed fps and drops in "
                + "both runs, the faulty ones' health reports, seconds to the first frame after each return.")
public final class FaultBenchCommand extends CliCommand {
    @Mixin
    BenchInputs inputs = new BenchInputs();

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench-results/faults.json")
    Path report;

    @Option(names = "--healthy", paramLabel = "N", defaultValue = "1")
    int healthy;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "60")
    int seconds;

    @Option(names = "--warmup-s", paramLabel = "N", defaultValue = "15")
    int warmupSeconds;

    @Option(names = "--checkpoint-ms", paramLabel = "N", defaultValue = "2000")
    long checkpointMs;

    @Option(names = "--outage-s", paramLabel = "N", defaultValue = "5")
    int outageSeconds;

    @Option(names = "--flap-every-s", paramLabel = "N", defaultValue = "20")
    int flapEverySeconds;

    @Option(names = "--keep-up", paramLabel = "F", defaultValue = "0.95")
    double keepUp;

    @Option(names = "--max-drop", paramLabel = "F", defaultValue = "0.01")
    double maxDrop;

    FaultBench.Options options() throws Exception {
        atLeast("--outage-s", outageSeconds, 1);
        atLeast("--flap-every-s", flapEverySeconds, 2);
        if (outageSeconds >= flapEverySeconds) {
            throw usageError("--outage-s " + outageSeconds + " must be below --flap-every-s " + flapEverySeconds);
        }
        atLeast("--healthy", healthy, 1);
        atLeast("--seconds", seconds, 5);
        atLeast("--warmup-s", warmupSeconds, 0);
        atLeast("--checkpoint-ms", checkpointMs, 100);
        fraction("--keep-up", keepUp);
        fraction("--max-drop", maxDrop);
        return new FaultBench.Options(inputs.video(), report, inputs.model(), healthy, seconds, warmupSeconds,
                checkpointMs, outageSeconds, flapEverySeconds, keepUp, maxDrop);
    }

    @Override
    public Integer call() throws Exception {
        FaultBench.Options options = options();
        AvroPackages.trustOurs();
        return FaultBench.run(options);
    }
}
