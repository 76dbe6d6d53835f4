package io.bitvision.operators.source.kafka;

import io.bitvision.operators.source.CameraRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The second ingest: cameras that push JPEG frames to Kafka (key = camera id in UTF-8, value = one JPEG, record
 * timestamp = capture time), read with flink-connector-kafka's {@link KafkaSource} into {@link CameraRecord}s
 * (see {@link JpegRecordDeserializer} for what each record becomes).
 *
 * <pre>{@code
 * KafkaSource<CameraRecord> pushed = KafkaJpegIngest.builder()
 *         .bootstrapServers("kafka:9092")
 *         .topics("bitvision.camera-jpeg")
 *         .groupId("bitvision-jpeg-ingest")
 *         .consumerProperties(securityProperties)   // TLS/SASL settings, passed through untouched
 *         .build();
 * DataStream<CameraRecord> frames = env
 *         .fromSource(pushed, WatermarkStrategy.noWatermarks(), "camera-jpeg").uid("camera-jpeg")
 *         .keyBy(r -> r.cameraId)
 *         .process(new FrameSequencer()).uid("frame-sequencer");   // frameSeq 0, 1, 2, ... per camera
 * }</pre>
 *
 * <p>The consumer reads {@code read_committed} (only committed transactions, as exactly-once producers need);
 * a different {@code isolation.level} in the properties is refused. Starting offsets default to
 * {@link OffsetsInitializer#earliest()}; like every {@link KafkaSource}, a job restored from a checkpoint resumes
 * from the checkpointed offsets instead, and offsets are committed to the group on each checkpoint for monitoring
 * only. Unbounded unless {@link Builder#bounded(OffsetsInitializer)} is set.
 */
public final class KafkaJpegIngest {
    private KafkaJpegIngest() {}

    public static Builder builder() {
        return new Builder();
    }

    /** Builds the source; every argument is checked in {@link #build()}. */
    public static final class Builder {
        private static final String READ_COMMITTED = "read_committed";

        private String bootstrapServers;
        private final List<String> topics = new ArrayList<>();
        private String groupId;
        private OffsetsInitializer startingOffsets = OffsetsInitializer.earliest();
        private OffsetsInitializer stoppingOffsets;
        private final Properties consumerProperties = new Properties();
        private JpegLimits limits = JpegLimits.defaults();

        private Builder() {}

        /** {@code bootstrap.servers}; overrides the same key in {@link #consumerProperties}. Required. */
        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        /** Topics to read (added to any given before). At least one is required. */
        public Builder topics(String... names) {
            topics.addAll(List.of(Objects.requireNonNull(names, "topics")));
            return this;
        }

        /** Consumer group ({@code group.id}); overrides the same key in {@link #consumerProperties}. Required. */
        public Builder groupId(String id) {
            this.groupId = id;
            return this;
        }

        /** Where a job without a checkpoint starts. Default {@link OffsetsInitializer#earliest()}. */
        public Builder startingOffsets(OffsetsInitializer offsets) {
            this.startingOffsets = offsets;
            return this;
        }

        /**
         * Makes the source bounded: it stops at {@code stoppingOffsets}, e.g. {@link OffsetsInitializer#latest()}
         * (the end of each partition when the job starts). Default: unbounded.
         */
        public Builder bounded(OffsetsInitializer stoppingOffsets) {
            this.stoppingOffsets = Objects.requireNonNull(stoppingOffsets, "stoppingOffsets");
            return this;
        }

        /**
         * Extra consumer and {@code KafkaSourceOptions} settings (TLS, SASL, fetch sizes, client id prefix, ...),
         * passed to the Kafka consumer as they are; added to any given before.
         */
        public Builder consumerProperties(Properties properties) {
            consumerProperties.putAll(Objects.requireNonNull(properties, "properties"));
            return this;
        }

        /** Size limits for one JPEG. Default {@link JpegLimits#defaults()}. */
        public Builder limits(JpegLimits jpegLimits) {
            this.limits = jpegLimits;
            return this;
        }

        public KafkaSource<CameraRecord> build() {
            Properties properties = consumerProperties();
            if (topics.isEmpty()) {
                throw new IllegalArgumentException("No topics: set at least one with topics(...)");
            }
            for (String topic : topics) {
                if (topic == null || topic.isBlank()) {
                    throw new IllegalArgumentException("Blank topic name in " + topics);
                }
            }
            Objects.requireNonNull(startingOffsets, "startingOffsets");
            Objects.requireNonNull(limits, "limits");
            KafkaSourceBuilder<CameraRecord> source = KafkaSource.<CameraRecord>builder()
                    .setProperties(properties)
                    .setTopics(List.copyOf(topics))
                    .setStartingOffsets(startingOffsets)
                    .setDeserializer(new JpegRecordDeserializer(limits));
            if (stoppingOffsets != null) {
                source.setBounded(stoppingOffsets);
            }
            return source.build();
        }

        /**
         * The consumer properties {@link #build()} hands to the source: the given ones, then bootstrap servers,
         * group id and {@code isolation.level=read_committed}.
         *
         * @throws IllegalArgumentException without bootstrap servers or group id, or with another isolation level
         */
        Properties consumerProperties() {
            requireText(bootstrapServers, "bootstrapServers");
            requireText(groupId, "groupId");
            String isolation = consumerProperties.getProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG);
            if (isolation != null && !READ_COMMITTED.equals(isolation.trim().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(ConsumerConfig.ISOLATION_LEVEL_CONFIG + "=" + isolation
                        + " would read aborted and uncommitted frames; the ingest reads " + READ_COMMITTED);
            }
            Properties properties = new Properties();
            properties.putAll(consumerProperties);
            properties.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            properties.setProperty(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            properties.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, READ_COMMITTED);
            return properties;
        }

        private static void requireText(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " is required and must not be blank");
            }
        }
    }
}
