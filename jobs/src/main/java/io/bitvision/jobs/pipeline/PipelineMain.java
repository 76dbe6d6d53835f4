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

    public static void run(PipelineArgs args) throws Exception {
        run(args.toConfig(System.err), args.jobVersion());
    }

    /**
     * Defines the job on this environment (a MiniCluster outside a cluster) and runs it to its end.
     *
     * @param version a label for this deployment, or null
     */
    public static void run(PipelineConfig config, String version) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        define(config, env);
        if (version != null) {
            LOG.info("bitvision pipeline job version {}", version);
        }
        env.execute(jobName(config, version));
    }

    /** Logs the configuration (secrets hidden) and defines the job on {@code env}. */
    static void define(PipelineConfig config, StreamExecutionEnvironment env) {
        LOG.info("bitvision pipeline configuration (secrets hidden): {}", config);
        PipelineJob.define(env, config);
    }

    /** Checks the arguments and defines their job on {@code env}. */
    static PipelineConfig define(String[] args, StreamExecutionEnvironment env) throws IOException {
        PipelineConfig config = PipelineArgs.of(args).toConfig(System.err);
        define(config, env);
        return config;
    }

    static String jobName(PipelineConfig config) {
        return jobName(config, null);
    }

    static String jobName(PipelineConfig config, String version) {
        return "bitvision pipeline " + (version != null ? version + " " : "") + String.join(",", config.cameras().keySet());
    }
}
