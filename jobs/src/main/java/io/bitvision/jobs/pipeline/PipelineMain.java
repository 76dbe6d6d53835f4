package io.bitvision.jobs.pipeline;

import java.io.IOException;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Entry point for {@code flink run bitvision-job.jar ARGS}, and for {@code ./bitvision run} (which gets a local
 * MiniCluster from the same call). Arguments: {@link PipelineArgs}.
 */
public final class PipelineMain {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineMain.class);

    private PipelineMain() {}

    public static void main(String[] args) throws Exception {
        PipelineArgs parsed = PipelineArgs.of(args);
        if (parsed.helpRequested()) {
            new CommandLine(new PipelineArgs()).usage(System.out);
            return;
        }
        run(parsed);
    }

    /** Defines the job of {@code args} on this environment (a MiniCluster outside a cluster) and runs it to its end. */
    public static void run(PipelineArgs args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineConfig config = define(args, env);
        if (args.jobVersion() != null) {
            LOG.info("bitvision pipeline job version {}", args.jobVersion());
        }
        env.execute(jobName(config, args.jobVersion()));
    }

    /** Checks the arguments, logs the configuration (secrets hidden) and defines the job on {@code env}. */
    static PipelineConfig define(PipelineArgs args, StreamExecutionEnvironment env) throws IOException {
        PipelineConfig config = args.toConfig(System.err);
        LOG.info("bitvision pipeline configuration (secrets hidden): {}", config);
        PipelineJob.define(env, config);
        return config;
    }

    static PipelineConfig define(String[] args, StreamExecutionEnvironment env) throws IOException {
        return define(PipelineArgs.of(args), env);
    }

    static String jobName(PipelineConfig config) {
        return jobName(config, null);
    }

    static String jobName(PipelineConfig config, String version) {
        return "bitvision pipeline " + (version != null ? version + " " : "") + String.join(",", config.cameras().keySet());
    }
}
