package io.bitvision.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker with only a TLS client listener and client certificates required, on certificates made by keytool for
 * this run: transactions work over TLS (they need the broker's connection to itself), and clients without the
 * truststore, without a client certificate or without TLS get nothing.
 */
class EmbeddedKafkaBrokerTlsITCase {
    private static final String TOPIC = "secure";
    private static LoopbackCertificates certs;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        certs = LoopbackCertificates.create(dir, "broker-test-" + Long.toHexString(System.nanoTime()));
        long t1 = System.nanoTime();
        broker = EmbeddedKafkaBroker.builder().tls(certs.brokerTls(true)).start();
        System.out.printf("keytool: %d ms, TLS broker start: %d ms%n", (t1 - t0) / 1_000_000,
                (System.nanoTime() - t1) / 1_000_000);
        broker.createTopics(1, TOPIC);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void transactionsWorkOverTlsWithClientCertificates() {
        List<String> sent = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        TopicReader.commitInOneTransaction(broker.bootstrapServers(), TOPIC, certs.clientProperties(), "tls-test",
                sent);
        List<String> values = TopicReader.readValues(broker.bootstrapServers(), TOPIC, certs.clientProperties(),
                sent.size());
        assertThat(values).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(broker.tls().toString()).doesNotContain(certs.password());
        assertThat(certs.toString()).doesNotContain(certs.password());
    }

    @Test
    void aClientWithoutTheTruststoreFailsTheHandshake() {
        Properties noTruststore = certs.clientProperties();
        noTruststore.remove("ssl.truststore.location");
        noTruststore.remove("ssl.truststore.password");
        noTruststore.remove("ssl.truststore.type");
        try (KafkaConsumer<String, String> c = consumer(noTruststore)) {
            assertThatThrownBy(() -> pollFor(c, Duration.ofSeconds(20))).isInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void aClientWithoutACertificateIsRefused() {
        Properties noKeystore = certs.clientProperties();
        noKeystore.remove("ssl.keystore.location");
        noKeystore.remove("ssl.keystore.password");
        noKeystore.remove("ssl.keystore.type");
        noKeystore.remove("ssl.key.password");
        try (KafkaConsumer<String, String> c = consumer(noKeystore)) {
            assertThatThrownBy(() -> pollFor(c, Duration.ofSeconds(20))).isInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void aPlaintextClientGetsNothing() {
        Properties plain = new Properties();
        plain.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        try (KafkaConsumer<String, String> c = consumer(plain)) {
            assertThatThrownBy(() -> c.partitionsFor(TOPIC, Duration.ofSeconds(3))).isInstanceOf(TimeoutException.class);
        }
    }

    private static void pollFor(KafkaConsumer<String, String> c, Duration time) {
        TopicReader.pollFor(c, time);
    }

    private static KafkaConsumer<String, String> consumer(Properties security) {
        return TopicReader.fromStart(broker.bootstrapServers(), TOPIC, security);
    }
}
