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
        String version = jobVersion(args);
        PipelineConfig config = define(withoutJobVersion(args), env);
        if (version != null) {
            LOG.info("bitvision pipeline job version {}", version);
        }
        env.execute(jobName(config, version));
    }

    /**
     * The value of {@code --job-version V}, or null: a label for this deployment of the job (an upgrade check submits
     * the restored job with another one), shown in the job's name. It changes nothing else.
     */
    static String jobVersion(String[] args) {
        String version = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if ("--job-version".equals(args[i])) {
                version = args[++i];
            } else {
                i++;
            }
        }
        return version;
    }

    /** The arguments without {@code --job-version V}, for {@link PipelineArgs}. */
    static String[] withoutJobVersion(String[] args) {
        java.util.List<String> rest = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if ("--job-version".equals(args[i]) && i + 1 < args.length) {
                i++;
            } else {
                rest.add(args[i]);
            }
        }
        return rest.toArray(String[]::new);
    }

    /** Parses the arguments, logs the configuration (secrets hidden) and defines the job on {@code env}. */
    static PipelineConfig define(String[] args, StreamExecutionEnvironment env) throws java.io.IOException {
        PipelineConfig config = PipelineArgs.parse(args);
        LOG.info("bitvision pipeline configuration (secrets hidden): {}", config);
        PipelineJob.define(env, config);
        return config;
    }

    static String jobName(PipelineConfig config) {
        return jobName(config, null);
    }

    static String jobName(PipelineConfig config, String version) {
        return "bitvision pipeline " + (version != null ? version + " " : "") + String.join(",", config.cameras().keySet());
    }
}
