package io.bitvision.operators.source.kafka;

import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.operators.source.CameraRecord;
import io.bitvision.operators.source.CameraRecord.CaptureTimeSource;
import io.bitvision.operators.source.CameraRecord.ErrorType;
import io.bitvision.operators.source.CameraRecord.Kind;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka ingest end to end: a real KRaft broker in this JVM, JPEGs produced to a two-partition topic, and a
 * MiniCluster job KafkaJpegIngest -> keyBy(cameraId) -> FrameSequencer, bounded at the topic's end.
 */
@Timeout(180)
class KafkaJpegIngestITCase {
    private static final int FRAMES_A = 30;
    private static final int FRAMES_B = 20;
    private static final long T0 = 1_700_000_000_000L;
    private static final Color ABORTED = new Color(255, 0, 255);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(4)
                    .build());

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** What was produced: the bad records and where they landed. */
    private record Produced(byte[] corrupt, RecordMetadata corruptAt, byte[] unkeyed, RecordMetadata unkeyedAt) {}

    private static Color colorA(int i) {
        return TestJpegs.color(0, i);
    }

    private static Color colorB(int i) {
        return TestJpegs.color(1, i);
    }

    private static long timeA(int i) {
        return T0 + 40L * i;
    }

    private static long timeB(int i) {
        return T0 + 40L * i + 7;
    }

    /**
     * Steps {@code from..to-1} of: 30 frames of camera "a" (64x48) and 20 of "b" (32x24), interleaved, each a solid
     * colour of its index; a corrupt value for "a" after a's frame 10; a good JPEG without key after b's frame 5;
     * and, before a's frame 15, one frame of each camera in a transaction that is aborted (a read_committed
     * consumer must skip them). The topic always ends with plain records.
     */
    private static Produced produce(String topic, int from, int to) throws Exception {
        byte[] corrupt = "this is not a JPEG \u0000\u00ff".getBytes(StandardCharsets.UTF_8);
        byte[] unkeyed = TestJpegs.solid(16, 16, TestJpegs.color(2, 0));
        RecordMetadata corruptAt = null;
        RecordMetadata unkeyedAt = null;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(null))) {
            for (int i = from; i < to; i++) {
                if (i == 15) {
                    abortedFrames(topic);
                }
                send(producer, topic, "a", timeA(i), TestJpegs.solid(64, 48, colorA(i)));
                if (i < FRAMES_B) {
                    send(producer, topic, "b", timeB(i), TestJpegs.solid(32, 24, colorB(i)));
                }
                if (i == 10) {
                    corruptAt = send(producer, topic, "a", timeA(i) + 1, corrupt);
                }
                if (i == 5) {
                    unkeyedAt = send(producer, topic, null, timeB(i) + 1, unkeyed);
                }
            }
        }
        return new Produced(corrupt, corruptAt, unkeyed, unkeyedAt);
    }

    private static void abortedFrames(String topic) {
        try (KafkaProducer<byte[], byte[]> tx = new KafkaProducer<>(producerConfig("aborted-" + topic))) {
            tx.initTransactions();
            tx.beginTransaction();
            tx.send(new ProducerRecord<>(topic, null, T0, bytes("a"), TestJpegs.solid(64, 48, ABORTED)));
            tx.send(new ProducerRecord<>(topic, null, T0, bytes("b"), TestJpegs.solid(32, 24, ABORTED)));
            tx.flush();
            tx.abortTransaction();
        }
    }

    private static Map<String, Object> producerConfig(String transactionalId) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.ACKS_CONFIG, "all"));
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return config;
    }

    private static RecordMetadata send(KafkaProducer<byte[], byte[]> producer, String topic, String key, long time,
                                       byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, null, time, key == null ? null : bytes(key), value)).get();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static DataStream<CameraRecord> sequenced(StreamExecutionEnvironment env, String topic, boolean bounded) {
        KafkaJpegIngest.Builder source = KafkaJpegIngest.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .topics(topic)
                .groupId("it-" + topic);
        if (bounded) {
            source.bounded(OffsetsInitializer.latest());
        }
        return env.fromSource(source.build(), WatermarkStrategy.noWatermarks(), "camera-jpeg")
                .keyBy(r -> r.cameraId)
                .process(new FrameSequencer());
    }

    private static List<CameraRecord> collectAll(CloseableIterator<CameraRecord> results) throws Exception {
        List<CameraRecord> records = new ArrayList<>();
        try (results) {
            results.forEachRemaining(records::add);
        }
        return records;
    }

    /** Adds results to {@code records} until {@code done} holds. */
    private static void collectUntil(CloseableIterator<CameraRecord> results, List<CameraRecord> records,
                                     Predicate<List<CameraRecord>> done) {
        while (!done.test(records)) {
            assertThat(results.hasNext()).as("the job ended early with " + records.size() + " records").isTrue();
            records.add(results.next());
        }
    }

    private static long count(List<CameraRecord> records, String cameraId, Kind kind) {
        return records.stream().filter(r -> r.cameraId.equals(cameraId) && r.kind == kind).count();
    }

    private static List<CameraRecord> of(List<CameraRecord> records, String cameraId, Kind kind) {
        return records.stream().filter(r -> r.cameraId.equals(cameraId) && r.kind == kind).toList();
    }

    private static List<Long> range(int n) {
        return LongStream.range(0, n).boxed().toList();
    }

    /** Frames in arrival order numbered 0..n-1, each with the pixels, size and time of the frame of that index. */
    private static void assertFrames(List<CameraRecord> frames, String topic, int count, int width, int height,
                                     java.util.function.IntFunction<Color> colors,
                                     java.util.function.IntToLongFunction times) {
        assertThat(frames).extracting(r -> r.frameSeq).containsExactlyElementsOf(range(count));
        for (CameraRecord f : frames) {
            int i = (int) f.frameSeq;
            assertThat(f.width).isEqualTo(width);
            assertThat(f.height).isEqualTo(height);
            assertThat(f.rgb).hasSize(width * height * 3);
            assertThat(TestJpegs.maxDeviation(f.rgb, colors.apply(i))).as("pixels of frame %d", i)
                    .isLessThanOrEqualTo(6);
            assertThat(f.captureTimeMs).isEqualTo(times.applyAsLong(i));
            assertThat(f.captureTimeSource).isEqualTo(CaptureTimeSource.STREAM_WALLCLOCK);
            assertThat(f.sourceTopic).isEqualTo(topic);
            assertThat(f.payload).isNull();
            assertThat(f.ptsUs).isEqualTo(-1);
        }
    }

    private static void assertDeadLetter(CameraRecord r, String topic, String cameraId, ErrorType type,
                                         byte[] payload, RecordMetadata at) {
        assertThat(r.cameraId).isEqualTo(cameraId);
        assertThat(r.errorType).isEqualTo(type);
        assertThat(r.payload).isEqualTo(payload);
        assertThat(r.position).isEqualTo(at.offset());
        assertThat(r.sourceUri).isEqualTo("kafka://" + topic + "/" + at.partition());
        assertThat(r.sourceTopic).isEqualTo(topic);
        assertThat(r.frameSeq).isEqualTo(-1);
        assertThat(r.reason).isNotBlank();
    }

    @Test
    void framesOfEachCameraAreNumberedInOrderAndBadRecordsBecomeDeadLetters() throws Exception {
        String topic = "camera-jpeg-ordered";
        kafka.createTopics(2, topic);
        Produced produced = produce(topic, 0, FRAMES_A);
        long start = System.currentTimeMillis();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);

        List<CameraRecord> records = collectAll(sequenced(env, topic, true).executeAndCollect());

        assertFrames(of(records, "a", Kind.FRAME), topic, FRAMES_A, 64, 48,
                KafkaJpegIngestITCase::colorA, KafkaJpegIngestITCase::timeA);
        assertFrames(of(records, "b", Kind.FRAME), topic, FRAMES_B, 32, 24,
                KafkaJpegIngestITCase::colorB, KafkaJpegIngestITCase::timeB);
        assertThat(records).filteredOn(r -> r.kind == Kind.FRAME)
                .allSatisfy(f -> assertThat(TestJpegs.maxDeviation(f.rgb, ABORTED)).isGreaterThan(40))
                .allSatisfy(f -> assertThat(f.ingestTimeMs).isBetween(start, System.currentTimeMillis()));

        List<CameraRecord> deadLetters = records.stream().filter(r -> r.kind == Kind.DEAD_LETTER).toList();
        assertThat(deadLetters).hasSize(2);
        assertDeadLetter(of(records, "a", Kind.DEAD_LETTER).get(0), topic, "a", ErrorType.CORRUPT_FRAME,
                produced.corrupt(), produced.corruptAt());
        assertDeadLetter(of(records, JpegRecordDeserializer.UNKNOWN_CAMERA_ID, Kind.DEAD_LETTER).get(0), topic, "",
                ErrorType.MISSING_KEY, produced.unkeyed(), produced.unkeyedAt());
        assertThat(records).hasSize(FRAMES_A + FRAMES_B + 2);
    }

    private static final AtomicBoolean SECOND_HALF = new AtomicBoolean();
    private static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();
    private static final AtomicInteger CHECKPOINTS = new AtomicInteger();

    /**
     * Failover: the first half of the topic is read and covered by completed checkpoints (its results reach the
     * checkpoint-aware collect sink only then); the second half is produced and the job fails on its first frame.
     * The source rewinds to the checkpointed offsets and FrameSequencer to its checkpointed numbers, so each camera
     * still gets 0..N-1 exactly once: had the numbers been lost, the second half would start again at 0.
     */
    @Test
    void numberingContinuesExactlyOnceOverAFailureAndRestore() throws Exception {
        String topic = "camera-jpeg-failover";
        kafka.createTopics(2, topic);
        SECOND_HALF.set(false);
        FAILED_ONCE.set(false);
        CHECKPOINTS.set(0);
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        env.enableCheckpointing(100);
        produce(topic, 0, 15);

        List<CameraRecord> records = new ArrayList<>();
        try (CloseableIterator<CameraRecord> results = sequenced(env, topic, false)
                .map(new FailOnFirstFrameOfSecondHalf())
                .executeAndCollect()) {
            collectUntil(results, records, r -> count(r, "a", Kind.FRAME) == 15 && count(r, "b", Kind.FRAME) == 15
                    && r.stream().filter(x -> x.kind == Kind.DEAD_LETTER).count() == 2);
            int seen = CHECKPOINTS.get();
            org.awaitility.Awaitility.await("two more checkpoints").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(10)).until(() -> CHECKPOINTS.get() >= seen + 2);
            SECOND_HALF.set(true);
            produce(topic, 15, FRAMES_A);
            collectUntil(results, records,
                    r -> count(r, "a", Kind.FRAME) >= FRAMES_A && count(r, "b", Kind.FRAME) >= FRAMES_B);
        }

        assertThat(FAILED_ONCE).isTrue();
        assertFrames(of(records, "a", Kind.FRAME), topic, FRAMES_A, 64, 48,
                KafkaJpegIngestITCase::colorA, KafkaJpegIngestITCase::timeA);
        assertFrames(of(records, "b", Kind.FRAME), topic, FRAMES_B, 32, 24,
                KafkaJpegIngestITCase::colorB, KafkaJpegIngestITCase::timeB);
        assertThat(records.stream().filter(r -> r.kind == Kind.DEAD_LETTER).count()).isEqualTo(2);
    }

    /** Counts completed checkpoints; throws once, on the first frame after the test starts the second half. */
    private static final class FailOnFirstFrameOfSecondHalf implements MapFunction<CameraRecord, CameraRecord>,
            CheckpointListener {
        @Override
        public CameraRecord map(CameraRecord record) {
            if (record.kind == Kind.FRAME && SECOND_HALF.get() && !FAILED_ONCE.getAndSet(true)) {
                throw new IllegalStateException("planned failure at " + record.cameraId + " frame " + record.frameSeq);
            }
            return record;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS.incrementAndGet();
        }
    }
}
