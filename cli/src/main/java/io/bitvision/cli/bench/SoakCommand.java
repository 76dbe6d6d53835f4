package io.bitvision.cli.bench;

import io.bitvision.benchmarks.live.AvroPackages;
import io.bitvision.benchmarks.soak.SoakRun;
import io.bitvision.cli.CliCommand;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code soak}: the job for N minutes with looping live cameras; memory growth against bounds. */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The job with looping live cameras for N minutes: RSS, heap (after a full GC) and NMT sampled; "
                + "growth = median of the last quarter - median of the first after the warm-up; exit status 1 when a "
                + "bound is exceeded.")
public final class SoakCommand extends CliCommand {
    @Option(names = "--minutes", required = true, paramLabel = "N")
    double minutes;

    @Option(names = "--cameras", paramLabel = "N", defaultValue = "2")
    int cameras;

    @Mixin
    BenchInputs inputs = new BenchInputs();

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench-results/soak.json")
    Path report;

    @Option(names = "--png", paramLabel = "FILE", description = "The chart (default: beside --out).")
    Path png;

    @Option(names = "--sample-s", paramLabel = "N", defaultValue = "10")
    int sampleSeconds;

    @Option(names = "--gc-every-s", paramLabel = "N", defaultValue = "30")
    int gcEverySeconds;

    @Option(names = "--warmup-s", paramLabel = "N", description = "Default: a quarter of the run, at most 120.")
    Integer warmupSeconds;

    @Option(names = "--checkpoint-ms", paramLabel = "N", defaultValue = "2000")
    long checkpointMs;

    @Option(names = "--rss-bound-mib", paramLabel = "MIB", defaultValue = "64")
    double rssBoundMib;

    @Option(names = "--heap-bound-mib", paramLabel = "MIB", defaultValue = "32")
    double heapBoundMib;

    SoakRun.Options options() throws Exception {
        positive("--minutes", minutes);
        int sample = atLeast("--sample-s", sampleSeconds, 1);
        int gcEvery = Math.max(sample, atLeast("--gc-every-s", gcEverySeconds, 1));
        double warmup = warmupSeconds != null ? atLeast("--warmup-s", warmupSeconds, 0) : Math.min(120, minutes * 60 / 4);
        if (warmup >= minutes * 60) {
            throw usageError("--warmup-s " + warmup + " leaves nothing of a " + minutes + "-minute run");
        }
        Path chart = png;
        if (chart == null) {
            String name = report.getFileName().toString();
            chart = report.resolveSibling(name.endsWith(".json") ? name.substring(0, name.length() - 5) + ".png" : name + ".png");
        }
        atLeast("--cameras", cameras, 1);
        atLeast("--checkpoint-ms", checkpointMs, 100);
        positive("--rss-bound-mib", rssBoundMib);
        positive("--heap-bound-mib", heapBoundMib);
        return new SoakRun.Options(minutes, cameras, inputs.video(), inputs.model(), report, chart, sample, gcEvery,
                warmup, checkpointMs, rssBoundMib, heapBoundMib);
    }

    @Override
    public Integer call() throws Exception {
        SoakRun.Options options = options();
        System.setProperty("java.awt.headless", "true");
        AvroPackages.trustOurs();
        return SoakRun.run(options);
    }
}
