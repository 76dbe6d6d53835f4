package io.bitvision.cli.cluster;

import io.bitvision.cli.CliCommand;
import io.bitvision.localcluster.FailoverVerify;
import io.bitvision.localcluster.LocalClusters;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verify-cluster}: exactly once across a TaskManager killed with SIGKILL mid-stream, on the local cluster. */
@Command(name = "verify-cluster", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The job on the local cluster (flink run -d), one TaskManager killed with SIGKILL mid-stream; "
                + "writes the report (expected, seen, duplicates, gaps, recovery_s); exit status 1 unless exactly once.")
public final class VerifyClusterCommand extends CliCommand {
    @Option(names = "--cameras", paramLabel = "N", defaultValue = "3")
    int cameras;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "2")
    int parallelism;

    @Option(names = "--kill-at", paramLabel = "F", defaultValue = "0.3", description = "Kill after this share of the frames.")
    double killAt;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench-results/failover.json")
    Path outFile;

    @Mixin
    CheckOptions check = new CheckOptions();

    @Override
    public Integer call() throws Exception {
        atLeast("--cameras", cameras, 1);
        atLeast("--parallelism", parallelism, 1);
        if (!(killAt > 0 && killAt < 1)) {
            throw usageError("--kill-at must be in (0, 1), was " + killAt);
        }
        FailoverVerify.Options options = new FailoverVerify.Options(check.video(), check.frames, cameras, parallelism,
                check.checkpointMs, killAt, check.jobJar, check.model(), LocalClusters.CLIP_DIR,
                Path.of("").toAbsolutePath(), check.timeout());
        FailoverVerify.Result result = LocalClusters.runOnCluster(check.cluster(), options, check.keep, out);
        FailoverVerify.write(result, outFile);
        out.printf(Locale.ROOT, "expected %d, seen %d, duplicates %d, gaps %d, recovery %.1f s -> %s%n", result.expected(),
                result.seen(), result.duplicates(), result.gaps(),
                result.recoverySeconds() == null ? Double.NaN : result.recoverySeconds(), outFile);
        out.println(result.exactlyOnce() ? "exactly once across the TaskManager kill: no record lost, none duplicated"
                : "FAILED: the job did not deliver every frame exactly once (job " + result.finalState() + ")");
        return result.exactlyOnce() ? 0 : 1;
    }
}
