package io.bitvision.cli;

import java.util.List;
import java.util.Properties;

/** Kafka client settings (TLS, SASL) of a command's producer or consumer, given as {@code KEY=VALUE}. */
final class ClientProperties {
    private ClientProperties() {}

    /** The settings; a malformed one is refused without echoing it (it may hold a secret). */
    static Properties of(List<String> settings) {
        Properties properties = new Properties();
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a client property takes KEY=VALUE");
            }
            properties.setProperty(setting.substring(0, eq), setting.substring(eq + 1));
        }
        return properties;
    }
}
