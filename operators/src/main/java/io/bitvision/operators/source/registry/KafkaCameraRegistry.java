package io.bitvision.operators.source.registry;

import io.bitvision.operators.source.CameraDiscovery;
import io.bitvision.operators.source.CameraSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camera discovery from a registry topic. Each call reads the topic from where the previous call stopped to its
 * current end (read_committed, no consumer group: every job sees the whole registry) and returns every camera
 * registered so far; the enumerator adds the ids it has not seen. A value is a bare URI or a JSON object with the
 * URI and the name of the model the camera asks for ({@link RegistryValue}). Records without a key or with an empty
 * or malformed value are skipped with a warning; tombstones are ignored (removing a camera is not supported yet).
 */
public final class KafkaCameraRegistry implements CameraDiscovery {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaCameraRegistry.class);

    private final String bootstrapServers;
    private final String topic;
    private final Properties consumerProperties;
    private final double targetFps;

    private transient KafkaConsumer<byte[], byte[]> consumer;
    private transient Map<String, CameraSpec> cameras;

    public KafkaCameraRegistry(String bootstrapServers, String topic, Properties consumerProperties, double targetFps) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.consumerProperties = (Properties) consumerProperties.clone();
        this.targetFps = targetFps;
    }

    @Override
    public Collection<CameraSpec> discover() {
        if (consumer == null) {
            open();
        }
        if (consumer.assignment().isEmpty()) {
            assignAll(); // the registry topic may be created after the job starts
        }
        Duration timeout = Duration.ofSeconds(10);
        List<TopicPartition> partitions = consumer.assignment().stream().toList();
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reachedEnd(end) && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                register(record);
            }
        }
        return new ArrayList<>(cameras.values());
    }

    private void register(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null || record.value() == null || record.value().length == 0) {
            if (record.value() != null) {
                LOG.warn("camera registry record at offset {} has no camera id; skipped", record.offset());
            }
            return;
        }
        String id = new String(record.key(), StandardCharsets.UTF_8);
        try {
            RegistryValue value = RegistryValue.parse(record.value());
            if (!value.unknownFields().isEmpty()) {
                LOG.warn("camera registry record for '{}' at offset {} has fields this job ignores: {}", id,
                        record.offset(), value.unknownFields());
            }
            cameras.putIfAbsent(id, new CameraSpec(id, value.uri(), targetFps, Map.of(), value.model()));
        } catch (IllegalArgumentException e) {
            LOG.warn("camera registry record for '{}' at offset {} is invalid: {}", id, record.offset(), e.getMessage());
        }
    }

    private boolean reachedEnd(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void open() {
        Properties props = new Properties();
        props.putAll(consumerProperties);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        cameras = new LinkedHashMap<>();
    }

    private void assignAll() {
        List<TopicPartition> partitions = new ArrayList<>();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos != null) {
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }
}
