package io.bitvision.cli.cluster;

import io.bitvision.cli.CliCommand;
import io.bitvision.localcluster.LocalClusters;
import io.bitvision.localcluster.UpgradeVerify;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verify-upgrade}: stop with a savepoint, restore a changed version of the job at another parallelism. */
@Command(name = "verify-upgrade", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The job on the local cluster, flink stop --savepointPath mid-stream, flink run -s SAVEPOINT of "
                + "a changed version (job version 2, an added operator) at parallelism --to; exit status 1 unless "
                + "exactly once and the state carried over.")
public final class VerifyUpgradeCommand extends CliCommand {
    @Option(names = "--cameras", paramLabel = "N", defaultValue = "2")
    int cameras;

    @Option(names = "--from", paramLabel = "N", defaultValue = "1", description = "Parallelism before.")
    int from;

    @Option(names = "--to", paramLabel = "N", defaultValue = "2", description = "Parallelism after.")
    int to;

    @Option(names = "--stop-at", paramLabel = "F", defaultValue = "0.4", description = "Stop after this share of the frames.")
    double stopAt;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench-results/upgrade.json")
    Path outFile;

    @Mixin
    CheckOptions check = new CheckOptions();

    @Override
    public Integer call() throws Exception {
        atLeast("--cameras", cameras, 1);
        atLeast("--from", from, 1);
        atLeast("--to", to, 1);
        if (!(stopAt > 0 && stopAt < 1)) {
            throw usageError("--stop-at must be in (0, 1), was " + stopAt);
        }
        UpgradeVerify.Options options = new UpgradeVerify.Options(check.video(), check.frames, cameras, from, to,
                check.checkpointMs, stopAt, check.jobJar, check.model(), LocalClusters.CLIP_DIR,
                Path.of("").toAbsolutePath(), check.timeout());
        UpgradeVerify.Result result = LocalClusters.runUpgrade(check.cluster(), options, check.keep, out);
        UpgradeVerify.write(result, outFile);
        out.printf(Locale.ROOT, "expected %d, seen %d, duplicates %d, gaps %d; parallelism %d -> %d -> %s%n", result.expected(),
                result.seen(), result.duplicates(), result.gaps(), result.parallelismBefore(), result.parallelismRunning(),
                outFile);
        out.println(result.exactlyOnce() ? "exactly once across stop-with-savepoint and the rescale"
                : "FAILED: the job did not deliver every frame exactly once (job " + result.finalState() + ")");
        out.printf(Locale.ROOT, "changed job version %s, track ids carried %s, watchlist carried %s, added operator %s%n",
                result.changed().ok(), result.trackIds().ok(), result.watchlist().ok(), result.added().ok());
        if (result.exactlyOnce() && !result.passed()) {
            out.println("FAILED: see changed / track_ids_carried / watchlist_carried / added_operator in " + outFile);
        }
        return result.passed() ? 0 : 1;
    }
}
