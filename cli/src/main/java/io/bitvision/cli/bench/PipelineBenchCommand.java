package io.bitvision.cli.bench;

import io.bitvision.benchmarks.live.AvroPackages;
import io.bitvision.benchmarks.pipeline.PipelineBench;
import io.bitvision.cli.CliCommand;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench pipeline}: the whole job against decode alone and the engine alone. */
@Command(name = "pipeline", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The whole job (MiniCluster + in-process broker, 1 camera) against decode alone and the engine "
                + "alone: fps, capture-to-Kafka latency, CPU profile.")
public final class PipelineBenchCommand extends CliCommand {
    @Mixin
    BenchInputs inputs = new BenchInputs();

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench-results/pipeline.json")
    Path report;

    @Option(names = "--decode-runs", paramLabel = "N", defaultValue = "3")
    int decodeRuns;

    @Option(names = "--engine-runs", paramLabel = "N", defaultValue = "3")
    int engineRuns;

    @Option(names = "--e2e-runs", paramLabel = "N", defaultValue = "2")
    int e2eRuns;

    @Option(names = "--checkpoint-ms", paramLabel = "N", defaultValue = "1000")
    long checkpointMs;

    @Option(names = "--warmup-frames", paramLabel = "N", defaultValue = "300")
    int warmupFrames;

    @Option(names = "--jfr", paramLabel = "FILE.jfr", description = "One more run under Java Flight Recorder.")
    Path jfr;

    @Option(names = "--what-if", description = "Also run the job without its shuffle.")
    boolean whatIf;

    @Option(names = "--inference-threads", paramLabel = "N", defaultValue = "1",
            description = "Threads per frame in the end-to-end runs' inference (the engine-only rate stays one thread).")
    int inferenceThreads;

    PipelineBench.Options options() throws Exception {
        atLeast("--decode-runs", decodeRuns, 1);
        atLeast("--engine-runs", engineRuns, 1);
        atLeast("--e2e-runs", e2eRuns, 1);
        atLeast("--checkpoint-ms", checkpointMs, 1);
        atLeast("--inference-threads", inferenceThreads, 1);
        return new PipelineBench.Options(inputs.video(), report, decodeRuns, engineRuns, e2eRuns, checkpointMs,
                Math.max(0, warmupFrames), jfr, whatIf, inputs.model(), inferenceThreads);
    }

    @Override
    public Integer call() throws Exception {
        PipelineBench.Options options = options();
        AvroPackages.trustOurs();
        return PipelineBench.run(options);
    }
}
