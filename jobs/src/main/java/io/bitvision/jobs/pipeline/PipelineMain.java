package io.bitvision.jobs.pipeline;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point for {@code flink run -c io.bitvision.jobs.pipeline.PipelineMain bitvision-jobs.jar ARGS}, and for
 * {@code ./bitvision run} (which gets a local MiniCluster from the same call). Arguments: {@link PipelineArgs}.
 */
public final class PipelineMain {
    private PipelineMain() {}

    public static void main(String[] args) throws Exception {
        PipelineConfig config = PipelineArgs.parse(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineJob.define(env, config);
        env.execute("bitvision pipeline " + String.join(",", config.cameras().keySet()));
    }
}
