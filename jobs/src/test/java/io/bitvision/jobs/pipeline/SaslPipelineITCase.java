package io.bitvision.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitvision.testkit.broker.BrokerSasl;
import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.testkit.broker.LoopbackCertificates;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.testkit.clips.VideoClip;
import io.bitvision.testkit.clips.SampleVideo;
import io.bitvision.operators.source.registry.CameraRegistryWriter;
import io.bitvision.testkit.audit.CommittedRecords;
import io.bitvision.testkit.audit.MaskAudit;
import io.bitvision.operators.inference.DarkRegionsModel;
import io.bitvision.operators.kafka.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job against a broker that only takes SASL_SSL (SASL/PLAIN over TLS): the user name, password and TLS
 * truststore reach the job only as Kafka client settings on the command line, exactly as Kafka spells them
 * ({@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.*}). The
 * exactly-once sink commits one mask record per frame of a camera registered over SASL while the job runs, a wrong
 * password is refused, and the password is nowhere in what this JVM logs or prints while the job is defined and runs
 * (the broker, started before, is not part of the capture).
 */
class SaslPipelineITCase {
    private static final int CLIP_FRAMES = 40;
    private static final String RUN = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    private static final String USER = "bitvision-job";
    private static final String PASSWORD = "SaslJobPw-" + RUN;
    private static final String STORE_PASSWORD = "SaslStorePw-" + RUN;

    private static LoopbackCertificates certs;
    private static EmbeddedKafkaBroker broker;
    private static Path clip;
    private static Path modelFile;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        certs = LoopbackCertificates.create(dir.resolve("tls"), STORE_PASSWORD);
        broker = EmbeddedKafkaBroker.builder()
                .tls(certs.brokerTls(false))
                .sasl(BrokerSasl.plain("broker", "BrokerPw-" + RUN, USER, PASSWORD))
                .start();
        clip = VideoClip.firstFrames(SampleVideo.vtest(dir), CLIP_FRAMES, dir);
        modelFile = dir.resolve("stand-in.bvm");
        Files.write(modelFile, ModelWriter.toBytes(DarkRegionsModel.build(576, 768, 70)));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theJobAuthenticatesWithSaslOverTlsExactlyOnceAndThePasswordIsNotPrinted() throws Exception {
        Topics topics = Topics.defaults(); // the command line has no topic options; this broker is the test's own
        String registry = "sasl.cameras";
        broker.createTopics(2, topics.all());
        broker.createTopics(1, registry);
        Properties client = clientProperties(PASSWORD);
        String jaas = client.getProperty("sasl.jaas.config");
        String[] args = {
                "--bootstrap", broker.bootstrapServers(),
                "--camera-registry", registry,
                "--camera-schemes", "file", // the registered camera is a clip on disk
                "--model", modelFile.toString(),
                "--checkpoint-ms", "500",
                "--transactional-id-prefix", "sasl",
                "--kafka-property", "security.protocol=SASL_SSL",
                "--kafka-property", "sasl.mechanism=PLAIN",
                "--kafka-property", "sasl.jaas.config=" + jaas,
                "--kafka-property", "ssl.truststore.type=PKCS12",
                "--kafka-property", "ssl.truststore.location=" + certs.truststore(),
                "--kafka-property", "ssl.truststore.password=" + STORE_PASSWORD,
        };
        Map<String, List<ConsumerRecord<byte[], byte[]>>> read;
        String printed;
        try (LogCapture capture = new LogCapture()) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
            PipelineConfig config = PipelineMain.define(args, env);
            assertThat(config.producerProperties().getProperty("sasl.jaas.config")).as("passed through untouched")
                    .isEqualTo(jaas);
            assertThat(config.consumerProperties().getProperty("sasl.jaas.config")).isEqualTo(jaas);
            printed = String.join("\n", config.toString(), config.describe().toString(),
                    env.getConfig().getGlobalJobParameters().toMap().toString(),
                    env.getStreamGraph(false).getStreamingPlanAsJSON());

            JobClient job = env.executeAsync(PipelineMain.jobName(config));
            CameraRegistryWriter.register(broker.bootstrapServers(), client, registry, "clip", clip.toString());
            read = RunningJob.awaitCommitted(job, broker.bootstrapServers(), client, topics.all(), Duration.ofSeconds(120),
                    r -> {
                        long clip = MaskAudit.of(r.get(topics.masks())).framesPerCamera().getOrDefault("clip", 0L);
                        return clip == CLIP_FRAMES ? null : clip + " of " + CLIP_FRAMES + " frames committed";
                    });
            job.cancel().get();
            String logged = capture.text();
            for (String secret : List.of(PASSWORD, STORE_PASSWORD)) {
                assertThat(logged).as("log output").doesNotContain(secret);
                assertThat(printed).as("printed configuration and plan").doesNotContain(secret);
            }
            assertThat(logged).as("Kafka's client config dump ran and hid the JAAS setting")
                    .contains("sasl.jaas.config = [hidden]").contains("security.protocol = SASL_SSL");
        }
        MaskAudit audit = MaskAudit.of(read.get(topics.masks()));
        assertThat(audit.records()).isEqualTo(CLIP_FRAMES);
        assertThat(audit.duplicates()).isZero();
        assertThat(audit.gaps()).isZero();

        assertThatThrownBy(() -> CommittedRecords.readAll(broker.bootstrapServers(), clientProperties(PASSWORD + "x"),
                Duration.ofSeconds(20), topics.masks())).isInstanceOf(SaslAuthenticationException.class);
    }

    private static Properties clientProperties(String password) {
        Properties p = new Properties();
        p.setProperty("security.protocol", "SASL_SSL");
        p.setProperty("ssl.truststore.type", "PKCS12");
        p.setProperty("ssl.truststore.location", certs.truststore().toString());
        p.setProperty("ssl.truststore.password", STORE_PASSWORD);
        p.putAll(BrokerSasl.clientProperties(USER, password));
        return p;
    }
}
