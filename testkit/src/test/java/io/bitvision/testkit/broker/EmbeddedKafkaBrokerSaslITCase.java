package io.bitvision.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker with a SASL_SSL client listener (SASL/PLAIN over TLS, server certificate only): a user with the right
 * password gets transactions (which need the broker's own authenticated connection to itself); a wrong password or
 * an unknown user is refused with an authentication error, and a TLS client that does not authenticate gets nothing.
 */
class EmbeddedKafkaBrokerSaslITCase {
    private static final String TOPIC = "authenticated";
    private static final String PASSWORD = "SaslPw-" + Long.toHexString(System.nanoTime());
    private static LoopbackCertificates certs;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        certs = LoopbackCertificates.create(dir, "sasl-test-" + Long.toHexString(System.nanoTime()));
        broker = EmbeddedKafkaBroker.builder()
                .tls(certs.brokerTls(false))
                .sasl(BrokerSasl.plain("broker", "BrokerPw-" + PASSWORD, "bitvision", PASSWORD))
                .start();
        broker.createTopics(1, TOPIC);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theListenerIsSaslSslAndItsDescriptionHidesThePasswords() {
        assertThat(broker.securityProtocol()).isEqualTo("SASL_SSL");
        assertThat(broker.sasl().toString()).contains("bitvision").doesNotContain(PASSWORD);
    }

    @Test
    void anAuthenticatedUserGetsTransactions() {
        List<String> sent = List.of("0", "1", "2", "3", "4");
        TopicReader.commitInOneTransaction(broker.bootstrapServers(), TOPIC, client("bitvision", PASSWORD), "sasl-test",
                sent);
        List<String> values = TopicReader.readValues(broker.bootstrapServers(), TOPIC, client("bitvision", PASSWORD),
                sent.size());
        assertThat(values).containsExactly("0", "1", "2", "3", "4");
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIsRefused() {
        for (Properties wrong : List.of(client("bitvision", PASSWORD + "x"), client("mallory", PASSWORD))) {
            try (KafkaConsumer<String, String> c = consumer(wrong)) {
                assertThatThrownBy(() -> pollFor(c, Duration.ofSeconds(20))).isInstanceOf(SaslAuthenticationException.class);
            }
        }
    }

    @Test
    void aTlsClientThatDoesNotAuthenticateGetsNothing() {
        Properties tlsOnly = certs.clientProperties();
        tlsOnly.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        try (KafkaConsumer<String, String> c = consumer(tlsOnly)) {
            // The broker closes a connection that skips the SASL handshake: the client never gets an answer.
            assertThatThrownBy(() -> c.partitionsFor(TOPIC, Duration.ofSeconds(3)))
                    .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
    }

    private static Properties client(String user, String password) {
        Properties p = certs.clientProperties();
        p.putAll(BrokerSasl.clientProperties(user, password));
        p.setProperty("security.protocol", "SASL_SSL");
        return p;
    }

    private static void pollFor(KafkaConsumer<String, String> c, Duration time) {
        TopicReader.pollFor(c, time);
    }

    private static KafkaConsumer<String, String> consumer(Properties security) {
        return TopicReader.fromStart(broker.bootstrapServers(), TOPIC, security);
    }
}
