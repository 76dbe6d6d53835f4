package io.bitvision.operators.source.registry;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a camera to the registry topic that running jobs watch: key = id, value = {@link RegistryValue} (the
 * bare URI, or a JSON object when the camera names a model).
 */
public final class CameraRegistryWriter {
    private CameraRegistryWriter() {}

    public static void register(String bootstrapServers, String topic, String cameraId, String uri) throws Exception {
        register(bootstrapServers, new Properties(), topic, cameraId, uri);
    }

    /** @param extra producer settings such as TLS or SASL, applied first */
    public static void register(String bootstrapServers, Properties extra, String topic, String cameraId, String uri)
            throws Exception {
        register(bootstrapServers, extra, topic, cameraId, uri, "");
    }

    /** @param model the name of the model the camera asks for ({@code --named-model} of the job); empty for none */
    public static void register(String bootstrapServers, Properties extra, String topic, String cameraId, String uri,
                                String model) throws Exception {
        Properties props = new Properties();
        props.putAll(extra);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, cameraId.getBytes(StandardCharsets.UTF_8),
                    RegistryValue.encode(uri, model))).get();
        }
    }
}
