package io.bitvision.operators.kafka;

import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * The job's one Kafka sink, exactly once: records become visible to read_committed consumers when the Flink
 * checkpoint that covers them completes. The transaction timeout must exceed checkpoint interval plus restart
 * time; client security settings (TLS, SASL) pass through {@code producerProperties} untouched.
 */
public final class ExactlyOnceSinks {
    /** 15 minutes: well above checkpoint interval + restart, below the brokers' usual transaction.max.timeout.ms. */
    public static final long DEFAULT_TRANSACTION_TIMEOUT_MS = 15 * 60 * 1000L;

    private ExactlyOnceSinks() {}

    public static KafkaSink<OutboundRecord> create(String bootstrapServers, String transactionalIdPrefix,
                                                   Properties producerProperties) {
        Properties props = new Properties();
        props.putAll(producerProperties);
        props.putIfAbsent("transaction.timeout.ms", Long.toString(DEFAULT_TRANSACTION_TIMEOUT_MS));
        return KafkaSink.<OutboundRecord>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(props)
                .setRecordSerializer(new OutboundRecordSerializer())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .build();
    }
}
