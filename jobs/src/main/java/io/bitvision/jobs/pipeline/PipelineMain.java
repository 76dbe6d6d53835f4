package io.bitvision.jobs.pipeline;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point for {@code flink run -c io.bitvision.jobs.pipeline.PipelineMain bitvision-jobs.jar ARGS}, and for
 * {@code ./bitvision run} (which gets a local MiniCluster from the same call). Arguments: {@link PipelineArgs}.
 */
public final class PipelineMain {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineMain.class);

    private PipelineMain() {}

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineConfig config = define(args, env);
        env.execute(jobName(config));
    }

    /** Parses the arguments, logs the configuration (secrets hidden) and defines the job on {@code env}. */
    static PipelineConfig define(String[] args, StreamExecutionEnvironment env) throws java.io.IOException {
        PipelineConfig config = PipelineArgs.parse(args);
        LOG.info("bitvision pipeline configuration (secrets hidden): {}", config);
        PipelineJob.define(env, config);
        return config;
    }

    static String jobName(PipelineConfig config) {
        return "bitvision pipeline " + String.join(",", config.cameras().keySet());
    }
}
