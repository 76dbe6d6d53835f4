package io.bitvision.cli;

import io.bitvision.jobs.pipeline.PipelineArgs;
import java.util.List;
import java.util.Properties;

/** Kafka client settings (TLS, SASL) of a command's producer or consumer, given as {@code KEY=VALUE}. */
final class ClientProperties {
    private ClientProperties() {}

    /** The settings, read as the job reads its own; a malformed one is refused without echoing it. */
    static Properties of(String option, List<String> settings) {
        Properties properties = new Properties();
        properties.putAll(PipelineArgs.keyValues(option, settings));
        return properties;
    }
}
