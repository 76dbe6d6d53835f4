package io.bitvision.operators.kafka;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Routes each already-encoded record to its topic, keyed by camera id so each camera stays ordered. */
public final class OutboundRecordSerializer implements KafkaRecordSerializationSchema<OutboundRecord> {
    @Override
    public ProducerRecord<byte[], byte[]> serialize(OutboundRecord record, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(record.topic, null, record.timestampMs, record.key, record.value);
    }
}
