package io.bitvision.testkit.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One in-process broker for the class; each test uses its own topics. */
class EmbeddedKafkaBrokerITCase {

    private static EmbeddedKafkaBroker broker;
    private static Path dataDir;

    @BeforeAll
    static void startBroker() {
        long start = System.nanoTime();
        broker = EmbeddedKafkaBroker.start();
        System.out.printf("EmbeddedKafkaBroker.start(): %d ms (%s)%n",
                (System.nanoTime() - start) / 1_000_000, broker.bootstrapServers());
        dataDir = broker.dataDir();
    }

    @AfterAll
    static void closeBroker() {
        long start = System.nanoTime();
        broker.close();
        System.out.printf("EmbeddedKafkaBroker.close(): %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertThat(dataDir).doesNotExist();
        broker.close(); // idempotent
    }

    @Test
    void readCommittedConsumerSeesCommittedRecordsOnlyInOrderPerPartition() throws Exception {
        String topic = "events";
        broker.createTopics(3, topic);

        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig("tx-commit-abort"))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, "camera-" + (i % 7), Integer.toString(i)));
            }
            producer.commitTransaction();

            producer.beginTransaction();
            for (int i = 100; i < 110; i++) {
                producer.send(new ProducerRecord<>(topic, "camera-" + (i % 7), Integer.toString(i)));
            }
            producer.flush(); // the aborted records really reach the log
            producer.abortTransaction();
        }
        System.out.printf("commit 100 + abort 10: %d ms%n", (System.nanoTime() - start) / 1_000_000);

        Map<Integer, List<Integer>> committed = readAll(topic, "read_committed");
        List<Integer> all = committed.values().stream().flatMap(List::stream).sorted().toList();
        assertThat(all).containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
        committed.values().forEach(values -> assertThat(values).isSorted());
        assertThat(committed).hasSizeGreaterThan(1); // the keys spread over partitions

        // The aborted records are in the log; only the isolation level hides them.
        Map<Integer, List<Integer>> uncommitted = readAll(topic, "read_uncommitted");
        assertThat(uncommitted.values().stream().mapToInt(List::size).sum()).isEqualTo(110);
    }

    @Test
    void createTopicsWaitsForLeadersAndLeavesExistingTopics() throws Exception {
        broker.createTopics(4, "frames", "detections");
        broker.createTopics(2, "frames"); // exists: left with 4 partitions

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<String, TopicDescription> topics =
                    admin.describeTopics(List.of("frames", "detections")).allTopicNames().get();
            assertThat(topics.get("frames").partitions()).hasSize(4);
            assertThat(topics.get("detections").partitions()).hasSize(4)
                    .allSatisfy(p -> assertThat(p.leader().id()).isEqualTo(1));
        }
        assertThatThrownBy(() -> broker.createTopics(1, "bad topic name")).isInstanceOf(KafkaException.class);
        assertThatThrownBy(() -> broker.createTopics(0, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listensOnLoopbackAndStoresInItsDirectory() {
        assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
        assertThat(dataDir.resolve("meta.properties")).exists();
    }

    @Test
    void refusesSettingsItOwnsAndFailsCleanlyOnATakenPort() throws Exception {
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().config("listeners", "PLAINTEXT://:9092").start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listeners");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            System.out.println("Expected: the broker logs ERRORs for a bind failure on port " + taken.getLocalPort());
            assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().port(taken.getLocalPort()).start())
                    .isInstanceOf(KafkaException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
        // The running broker is unaffected.
        broker.createTopics(1, "still-alive");
    }

    private static Map<String, Object> producerConfig(String transactionalId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        // Flink's KafkaSink default; the broker must allow it.
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Duration.ofHours(1).toMillis());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return config;
    }

    /** Every record up to the end (the last stable offset for read_committed), values by partition. */
    private static Map<Integer, List<Integer>> readAll(String topic, String isolationLevel) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        Map<Integer, List<Integer>> values = new TreeMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("read to the end within 30 s").isLessThan(deadline);
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(Integer.parseInt(r.value()));
                }
            }
        }
        return values;
    }
}
