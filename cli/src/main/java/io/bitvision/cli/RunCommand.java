package io.bitvision.cli;

import io.bitvision.jobs.pipeline.PipelineArgs;
import io.bitvision.jobs.pipeline.PipelineConfig;
import io.bitvision.jobs.pipeline.PipelineMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code run}: the job on a local MiniCluster against any broker; the job's own options ({@link PipelineArgs}). */
@Command(name = "run", description = {"Run the job (local MiniCluster) against any broker. Kafka client settings "
        + "(TLS, SASL) go to every client of the job; secrets are hidden in what it logs."})
public final class RunCommand extends CliCommand {
    @Mixin
    PipelineArgs job = new PipelineArgs();

    @Override
    public Integer call() throws Exception {
        PipelineConfig config;
        try {
            config = job.toConfig(err);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        PipelineMain.run(config, job.jobVersion());
        return 0;
    }
}
