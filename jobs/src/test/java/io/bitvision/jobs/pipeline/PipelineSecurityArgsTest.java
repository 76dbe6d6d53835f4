package io.bitvision.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka client settings on the command line: who gets which, and what is printed of them. */
class PipelineSecurityArgsTest {

    private static PipelineConfig parse(String... extra) throws Exception {
        String[] base = {"--bootstrap", "127.0.0.1:9093", "--camera", "a=rtsp://admin:CamPw1@10.0.0.7/live",
                "--models-dir", "../models"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return PipelineArgs.parse(args);
    }

    @Test
    void settingsForEveryClientReachProducerAndConsumersAndTheSpecificOnesWin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, "ssl.keystore.location=/etc/k.p12\nssl.keystore.password=FilePw1\n");
        PipelineConfig config = parse(
                "--kafka-property", "security.protocol=SSL",
                "--kafka-property", "ssl.truststore.password=ArgPw1",
                "--kafka-properties", file.toString(),
                "--producer-property", "ssl.truststore.password=ProducerPw1",
                "--consumer-property", "client.rack=r1");
        assertThat(config.producerProperties()).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.keystore.password", "FilePw1")
                .containsEntry("ssl.truststore.password", "ProducerPw1")
                .doesNotContainKey("client.rack");
        assertThat(config.consumerProperties()).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.keystore.location", "/etc/k.p12")
                .containsEntry("ssl.truststore.password", "ArgPw1")
                .containsEntry("client.rack", "r1");
        assertThat(config.cameras()).containsEntry("a", "rtsp://admin:CamPw1@10.0.0.7/live");
    }

    @Test
    void theConfigurationPrintsWithoutSecrets() throws Exception {
        PipelineConfig config = parse(
                "--kafka-property", "security.protocol=SASL_SSL",
                "--kafka-property", "sasl.jaas.config=PlainLoginModule required username=\"u\" password=\"JaasPw1\";",
                "--producer-property", "ssl.key.password=KeyPw1",
                "--consumer-property", "basic.auth.user.info=u:InfoPw1");
        for (String printed : new String[] {config.toString(), config.describe().toString()}) {
            assertThat(printed).doesNotContain("JaasPw1", "KeyPw1", "InfoPw1", "CamPw1")
                    .contains("producer.security.protocol=SASL_SSL", "producer.sasl.jaas.config=******",
                            "producer.ssl.key.password=******", "consumer.basic.auth.user.info=******",
                            "camera.a=rtsp://******@10.0.0.7/live");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        PipelineJob.define(env, config);
        assertThat(env.getConfig().getGlobalJobParameters().toMap()).containsEntry("producer.ssl.key.password", "******")
                .containsEntry("consumer.sasl.jaas.config", "******");
        assertThat(env.getConfig().toString() + env.getExecutionPlan()).doesNotContain("JaasPw1", "KeyPw1", "InfoPw1", "CamPw1");
    }

    @Test
    void kafkaConfigProvidersResolveSecretsInTheClientSoTheJobCarriesOnlyAReference(@TempDir Path dir) throws Exception {
        Path secrets = dir.resolve("secrets.properties");
        Files.writeString(secrets, "truststore.password=ProviderPw1\n");
        PipelineConfig config = parse(
                "--kafka-property", "config.providers=file",
                "--kafka-property", "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider",
                "--kafka-property", "ssl.truststore.password=${file:" + secrets + ":truststore.password}");
        assertThat(config.producerProperties().toString()).doesNotContain("ProviderPw1");
        // What the producer (and likewise each consumer) makes of the settings where it runs.
        java.util.Properties client = new java.util.Properties();
        client.putAll(config.producerProperties());
        client.put("bootstrap.servers", "127.0.0.1:9093");
        client.put("key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        client.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        assertThat(new org.apache.kafka.clients.producer.ProducerConfig(client).getPassword("ssl.truststore.password")
                .value()).isEqualTo("ProviderPw1");
    }

    @Test
    void malformedSettingsAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> parse("--kafka-property", "=Secret1")).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("Secret1");
        assertThatThrownBy(() -> parse("--kafka-properties", "/nonexistent/kafka.properties"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no such file");
    }
}
