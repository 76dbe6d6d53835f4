package io.bitvision.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.CameraHealth;
import io.bitvision.schemas.DeadLetter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job against a broker whose only client listener is TLS with client certificates required, on certificates
 * keytool makes for this run. Every Kafka client of the job must get the security settings from the command line:
 * the exactly-once sink (masks committed), the camera registry consumer (the camera is registered over TLS while the
 * job runs), the JPEG ingest consumer (pushed frames) and the watchlist consumer (a malformed update becomes a dead
 * letter). A read_committed TLS consumer must find exactly one mask record per frame; a client without the
 * truststore must fail the handshake. The passwords, a JAAS setting, a Schema Registry credential and a camera URL's
 * password are distinctive strings that must appear nowhere in what the run logs or prints, nor in the printed
 * configuration, the stream graph's plan, the job graph's configuration or the records on Kafka.
 */
class TlsPipelineITCase {
    private static final int CLIP_FRAMES = 60;
    private static final String RUN = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    private static final String STORE_PASSWORD = "StorePw-" + RUN;
    private static final String JAAS_SECRET = "JaasPw-" + RUN;
    private static final String REGISTRY_SECRET = "RegistryPw-" + RUN;
    private static final String CAMERA_SECRET = "CameraPw-" + RUN;

    private static LoopbackCertificates certs;
    private static EmbeddedKafkaBroker broker;
    private static Path clip;
    private static Path modelFile;
    private static Path keystoreFile;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        certs = LoopbackCertificates.create(dir.resolve("tls"), STORE_PASSWORD);
        broker = EmbeddedKafkaBroker.builder().tls(certs.brokerTls(true)).start();
        clip = VideoClip.firstFrames(SampleVideo.vtest(dir), CLIP_FRAMES, dir);
        assertThat(VideoClip.countFrames(clip)).isEqualTo(CLIP_FRAMES);
        modelFile = dir.resolve("stand-in.bvm");
        Files.write(modelFile, ModelWriter.toBytes(DarkRegionsModel.build(576, 768, 70)));
        // The client keystore settings come from a properties file (--kafka-properties), the rest from arguments.
        keystoreFile = dir.resolve("client-keystore.properties");
        Properties keystore = new Properties();
        keystore.setProperty("ssl.keystore.type", "PKCS12");
        keystore.setProperty("ssl.keystore.location", certs.clientKeystore().toString());
        keystore.setProperty("ssl.keystore.password", STORE_PASSWORD);
        keystore.setProperty("ssl.key.password", STORE_PASSWORD);
        try (Writer w = Files.newBufferedWriter(keystoreFile, StandardCharsets.UTF_8)) {
            keystore.store(w, null);
        }
        System.out.printf("TLS setup (keytool, broker, 60-frame clip): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyKafkaClientOfTheJobWorksOverTlsExactlyOnceAndNoSecretIsPrinted() throws Exception {
        Topics topics = Topics.defaults(); // the command line has no topic options
        String registry = "tls.cameras";
        String jpegTopic = "tls.frames";
        String watchlist = "tls.watchlist";
        broker.createTopics(2, topics.all());
        broker.createTopics(1, registry, jpegTopic, watchlist);
        Properties client = certs.clientProperties();
        try (KafkaProducer<byte[], byte[]> producer = producer(client)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(jpegTopic, "door".getBytes(StandardCharsets.UTF_8), jpeg(i)));
            }
            producer.send(new ProducerRecord<>(watchlist, "nobody".getBytes(StandardCharsets.UTF_8),
                    "not an Avro watchlist update".getBytes(StandardCharsets.UTF_8))).get();
        }
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String[] args = {
                "--bootstrap", broker.bootstrapServers(),
                "--camera", "locked=http://admin:" + CAMERA_SECRET + "@127.0.0.1:" + closedPort + "/cam",
                "--camera-registry", registry,
                "--camera-schemes", "http,file", // the registered camera is a clip on disk
                "--jpeg-topic", jpegTopic,
                "--watchlist-topic", watchlist,
                "--test-embedder",
                "--model", modelFile.toString(),
                "--checkpoint-ms", "500",
                "--stall-timeout-ms", "2000",
                "--transactional-id-prefix", "tls",
                "--kafka-property", "security.protocol=SSL",
                "--kafka-property", "ssl.truststore.type=PKCS12",
                "--kafka-property", "ssl.truststore.location=" + certs.truststore(),
                "--kafka-property", "ssl.truststore.password=" + STORE_PASSWORD,
                "--kafka-properties", keystoreFile.toString(),
                // Not used by SSL clients, but what a SASL deployment passes: must not be printed either.
                "--producer-property", "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule "
                        + "required username=\"bitvision\" password=\"" + JAAS_SECRET + "\";",
                "--consumer-property", "basic.auth.user.info=bitvision:" + REGISTRY_SECRET,
        };
        Map<String, List<ConsumerRecord<byte[], byte[]>>> read;
        String printedConfig;
        long start = System.nanoTime();
        try (LogCapture capture = new LogCapture()) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
            PipelineConfig config = PipelineMain.define(args, env);
            assertThat(config.producerProperties().getProperty("ssl.truststore.password"))
                    .as("the clients get the real value").isEqualTo(STORE_PASSWORD);
            assertThat(config.consumerProperties().getProperty("ssl.key.password")).isEqualTo(STORE_PASSWORD);
            assertThat(config.producerProperties().getProperty("basic.auth.user.info")).isNull();

            StreamGraph graph = env.getStreamGraph(false);
            JobGraph jobGraph = graph.getJobGraph();
            ExecutionConfig shipped = jobGraph.getSerializedExecutionConfig().deserializeValue(getClass().getClassLoader());
            printedConfig = String.join("\n", config.toString(), config.describe().toString(),
                    env.getConfig().toString(), env.getConfig().getGlobalJobParameters().toMap().toString(),
                    env.getConfiguration().toString(), graph.getStreamingPlanAsJSON(), env.getExecutionPlan(),
                    graph.getJobConfiguration().toString(), jobGraph.getJobConfiguration().toString(),
                    shipped.toString(), shipped.getGlobalJobParameters().toMap().toString());
            assertThat(shipped.getGlobalJobParameters().toMap())
                    .as("the web UI's user configuration: settings, secrets hidden")
                    .containsEntry("producer.ssl.truststore.password", "******")
                    .containsEntry("consumer.ssl.keystore.password", "******")
                    .containsEntry("producer.sasl.jaas.config", "******")
                    .containsEntry("consumer.basic.auth.user.info", "******")
                    .containsEntry("producer.security.protocol", "SSL")
                    .containsEntry("camera.locked", "http://******@127.0.0.1:" + closedPort + "/cam");

            JobClient job = env.executeAsync(PipelineMain.jobName(config));
            RunningJob.awaitSteadilyRunning(job, Duration.ofSeconds(2));
            CameraRegistryWriter.register(broker.bootstrapServers(), client, registry, "clip", clip.toString());
            read = RunningJob.awaitCommitted(job, broker.bootstrapServers(), client, topics.all(), Duration.ofSeconds(150),
                    r -> {
                        Map<String, Long> frames = MaskAudit.of(r.get(topics.masks())).framesPerCamera();
                        boolean clipDone = frames.getOrDefault("clip", 0L) == CLIP_FRAMES;
                        boolean pushedDone = frames.getOrDefault("door", 0L) == 5;
                        boolean watchlistRead = deadLetters(r, topics).stream()
                                .anyMatch(l -> watchlist.equals(l.getSourceTopic()));
                        boolean lockedFailed = healthReasons(r, topics, "locked").size() >= 2;
                        return clipDone && pushedDone && watchlistRead && lockedFailed ? null : String.format(
                                "registered clip %s, pushed frames %s, watchlist %s, camera reports %s",
                                clipDone, pushedDone, watchlistRead, lockedFailed);
                    });
            job.cancel().get();
            System.out.printf("TLS job: %d ms; %d log events captured%n", (System.nanoTime() - start) / 1_000_000,
                    capture.events());
            String logged = capture.text();
            for (String secret : List.of(STORE_PASSWORD, JAAS_SECRET, REGISTRY_SECRET, CAMERA_SECRET)) {
                assertThat(logged).as("log output").doesNotContain(secret);
                assertThat(printedConfig).as("printed configuration and job graph").doesNotContain(secret);
            }
            // The capture saw what could have leaked: Kafka's client configuration dumps, our configuration line and
            // the camera's connection errors, each with the secret hidden.
            assertThat(logged).contains("ssl.truststore.password = [hidden]")
                    .contains("bitvision pipeline configuration (secrets hidden)")
                    .contains("producer.ssl.truststore.password=******")
                    .contains("http://******@127.0.0.1:" + closedPort);
        }

        MaskAudit audit = MaskAudit.of(read.get(topics.masks()));
        assertThat(audit.framesPerCamera()).containsEntry("clip", (long) CLIP_FRAMES).containsEntry("door", 5L);
        assertThat(audit.records()).isEqualTo(CLIP_FRAMES + 5);
        assertThat(audit.duplicates()).isZero();
        assertThat(audit.gaps()).isZero();
        assertThat(audit.outOfOrder()).isZero();
        for (List<ConsumerRecord<byte[], byte[]>> records : read.values()) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                String bytes = new String(r.value(), StandardCharsets.ISO_8859_1);
                assertThat(bytes).as("record on " + r.topic()).doesNotContain(CAMERA_SECRET).doesNotContain(STORE_PASSWORD);
            }
        }
        assertThat(healthReasons(read, topics, "locked")).anySatisfy(reason -> assertThat(reason).contains("******@"));

        Properties noTruststore = certs.clientProperties();
        noTruststore.remove("ssl.truststore.location");
        noTruststore.remove("ssl.truststore.password");
        noTruststore.remove("ssl.truststore.type");
        assertThatThrownBy(() -> CommittedRecords.readAll(broker.bootstrapServers(), noTruststore, Duration.ofSeconds(20),
                topics.masks())).isInstanceOf(SslAuthenticationException.class);
    }

    private static List<DeadLetter> deadLetters(Map<String, List<ConsumerRecord<byte[], byte[]>>> read, Topics topics) {
        return read.get(topics.deadLetters()).stream().map(r -> AvroRecords.decode(r.value(), DeadLetter.class)).toList();
    }

    private static List<String> healthReasons(Map<String, List<ConsumerRecord<byte[], byte[]>>> read, Topics topics,
                                              String camera) {
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : read.get(topics.health())) {
            CameraHealth h = AvroRecords.decode(r.value(), CameraHealth.class);
            if (h.getCameraId().equals(camera) && h.getReason() != null) {
                reasons.add(h.getReason());
            }
        }
        return reasons;
    }

    private static KafkaProducer<byte[], byte[]> producer(Properties security) {
        Properties props = new Properties();
        props.putAll(security);
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static byte[] jpeg(int index) throws java.io.IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(160, 120, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(java.awt.Color.LIGHT_GRAY);
        g.fillRect(0, 0, 160, 120);
        g.setColor(java.awt.Color.BLACK);
        g.fillRect(10 + index * 5, 30, 30, 60);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
