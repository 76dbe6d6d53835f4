package io.bitvision.cli;

import static io.bitvision.cli.FaceFixtures.concat;
import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.testkit.audit.CommittedRecords;
import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.WatchlistOp;
import io.bitvision.schemas.WatchlistUpdate;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code enroll --bootstrap} against the in-process broker: the record is the Avro WatchlistUpdate keyed by
 * identity, read back by a consumer; the printed line says where it went. The upsert test needs the shipped models.
 */
class EnrollPublishTest {
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(1, EnrollCommand.DEFAULT_TOPIC, "custom.watchlist");
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        return CommittedRecords.readAll(broker.bootstrapServers(), new Properties(), Duration.ofSeconds(30), topic).get(topic);
    }

    @Test
    void aDeleteIsPublishedToTheTopicKeyedByIdentityAndDecodes() throws Exception {
        CliRun run = CliRun.of("enroll", "--id", "mallory", "--delete", "--version", "77", "--bootstrap",
                broker.bootstrapServers(), "--topic", "custom.watchlist", "--producer-property", "client.id=enroll-test",
                "--producer-property", "linger.ms=0");

        assertThat(run.status()).as(run.err()).isZero();
        List<ConsumerRecord<byte[], byte[]>> records = read("custom.watchlist");
        assertThat(records).hasSize(1);
        ConsumerRecord<byte[], byte[]> record = records.getFirst();
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("mallory");
        WatchlistUpdate update = AvroRecords.decode(record.value(), WatchlistUpdate.class);
        assertThat(update.getOp()).isEqualTo(WatchlistOp.DELETE);
        assertThat(update.getIdentityId()).isEqualTo("mallory");
        assertThat(update.getVersion()).isEqualTo(77);
        assertThat(update.getEmbeddings()).isEmpty();
        assertThat(run.out().strip()).isEqualTo("enroll: DELETE 'mallory' version 77 -> published to custom.watchlist "
                + "partition 0 offset " + record.offset() + " (" + broker.bootstrapServers() + ")");
    }

    /** Shipped models. */
    @Test
    void anEnrolmentIsPublishedToTheDefaultTopicWithItsEmbeddingsButNotPrinted() throws Exception {
        Path frame = FaceFixtures.megamind(dir, 154).get(154);
        FaceEmbedder embedder = FaceModels.embedder(FaceFixtures.EMBEDDER);

        CliRun run = CliRun.of("enroll", concat(FaceFixtures.models(), "--id", "roxanne", "--name", "Roxanne",
                "--image", frame.toString(), "--bootstrap", broker.bootstrapServers()));

        assertThat(run.status()).as(run.err()).isZero();
        List<ConsumerRecord<byte[], byte[]>> records = read(EnrollCommand.DEFAULT_TOPIC);
        assertThat(records).hasSize(1);
        WatchlistUpdate update = AvroRecords.decode(records.getFirst().value(), WatchlistUpdate.class);
        assertThat(new String(records.getFirst().key(), StandardCharsets.UTF_8)).isEqualTo("roxanne");
        assertThat(update.getOp()).isEqualTo(WatchlistOp.UPSERT);
        assertThat(update.getModelId()).isEqualTo(embedder.id());
        assertThat(update.getDisplayName()).isEqualTo("Roxanne");
        assertThat(update.getEmbeddings()).hasSize(1);
        assertThat(run.out()).contains("UPSERT 'roxanne' (Roxanne) version " + update.getVersion())
                .contains("published to " + EnrollCommand.DEFAULT_TOPIC + " partition 0 offset "
                        + records.getFirst().offset());
        assertThat(run.out() + run.err()).doesNotContain(Float.toString(update.getEmbeddings().getFirst().getFirst()));
    }

    @Test
    void aBrokerThatIsNotThereFailsWithinTheGivenTimeoutAndSaysWhere() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();

        CliRun run = CliRun.of("enroll", "--id", "a", "--delete", "--bootstrap", "127.0.0.1:" + port,
                "--producer-property", "max.block.ms=1500");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("publishing to " + EnrollCommand.DEFAULT_TOPIC + " on 127.0.0.1:" + port + " failed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("--producer-property max.block.ms applies")
                .isLessThan(Duration.ofSeconds(20));
    }
}
