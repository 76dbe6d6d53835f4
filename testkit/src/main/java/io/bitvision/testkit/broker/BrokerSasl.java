package io.bitvision.testkit.broker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * SASL/PLAIN authentication on the broker's client listener: the users the broker accepts and the one it uses for
 * its own connections to itself (transaction markers go through the client listener on a single node).
 *
 * <p>Combined with {@link BrokerTls} the listener is {@code SASL_SSL}, otherwise {@code SASL_PLAINTEXT} (PLAIN
 * sends the password as it is, so only for loopback tests). The users live in the listener's JAAS setting
 * ({@code user_NAME="password"}), the way Kafka's own PLAIN server callback reads them; SCRAM and OAUTHBEARER, which
 * need credentials in the metadata log or a token endpoint, are not offered here.
 *
 * <p>{@link #toString()} names the users and hides the passwords.
 *
 * @param brokerUser     the user the broker logs in as on its own listener
 * @param brokerPassword its password
 * @param clientUsers    further users, name to password
 */
public record BrokerSasl(String brokerUser, String brokerPassword, Map<String, String> clientUsers) {

    /** The only mechanism offered. */
    public static final String MECHANISM = "PLAIN";
    private static final String LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";

    /** User names become JAAS option names ({@code user_NAME}), which allow no dots, at signs or quotes. */
    private static final java.util.regex.Pattern USER_NAME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    public BrokerSasl {
        checkUserName(brokerUser);
        checkJaasValue(brokerUser, "brokerUser");
        checkJaasValue(brokerPassword, "brokerPassword");
        Objects.requireNonNull(clientUsers, "clientUsers");
        clientUsers = Map.copyOf(clientUsers);
        clientUsers.forEach((user, password) -> {
            checkUserName(user);
            checkJaasValue(password, "password of " + user);
            if (user.equals(brokerUser)) {
                throw new IllegalArgumentException("'" + user + "' is the broker's own user");
            }
        });
    }

    /** One client user besides the broker's own. */
    public static BrokerSasl plain(String brokerUser, String brokerPassword, String clientUser, String clientPassword) {
        return new BrokerSasl(brokerUser, brokerPassword, Map.of(clientUser, clientPassword));
    }

    /**
     * A client's SASL settings for {@code user}: {@code sasl.mechanism} and {@code sasl.jaas.config}. The caller adds
     * {@code security.protocol} ({@code SASL_SSL} or {@code SASL_PLAINTEXT}) and, for SASL_SSL, the truststore.
     */
    public static Properties clientProperties(String user, String password) {
        checkJaasValue(user, "user");
        checkJaasValue(password, "password");
        Properties p = new Properties();
        p.setProperty("sasl.mechanism", MECHANISM);
        p.setProperty("sasl.jaas.config", LOGIN_MODULE + " required username=\"" + user + "\" password=\""
                + password + "\";");
        return p;
    }

    /** The listener's SASL settings; {@code listenerName} is {@code SASL_SSL} or {@code SASL_PLAINTEXT}. */
    Map<String, String> serverProperties(String listenerName) {
        StringBuilder jaas = new StringBuilder(LOGIN_MODULE).append(" required username=\"").append(brokerUser)
                .append("\" password=\"").append(brokerPassword).append("\" user_").append(brokerUser).append("=\"")
                .append(brokerPassword).append('"');
        clientUsers.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(user ->
                jaas.append(" user_").append(user.getKey()).append("=\"").append(user.getValue()).append('"'));
        jaas.append(';');
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        p.put("listener.name." + listenerName.toLowerCase(java.util.Locale.ROOT) + "."
                + MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config", jaas.toString());
        return p;
    }

    /** What the broker's own clients ({@link EmbeddedKafkaBroker#createTopics}) use: the broker's user. */
    Map<String, Object> brokerClientProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        clientProperties(brokerUser, brokerPassword).forEach((k, v) -> p.put((String) k, v));
        return p;
    }

    private static void checkUserName(String user) {
        java.util.Objects.requireNonNull(user, "user name");
        if (!USER_NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("user name '" + user + "' must match " + USER_NAME.pattern()
                    + " (it becomes a JAAS option name)");
        }
    }

    private static void checkJaasValue(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.indexOf('"') >= 0 || value.indexOf('\\') >= 0 || value.indexOf(';') >= 0
                || value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(what + " must be non-empty without quotes, backslashes, semicolons "
                    + "or spaces (it goes into a JAAS setting)");
        }
    }

    @Override
    public String toString() {
        return "BrokerSasl[mechanism=" + MECHANISM + ", broker user=" + brokerUser + ", client users="
                + clientUsers.keySet().stream().sorted().toList() + ", passwords hidden]";
    }
}
