package io.bitvision.operators.kafka;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Routes each already-encoded record to its topic, keyed by camera id so each camera stays ordered.
 *
 * <p>The Kafka record's timestamp is the record's own time (a frame's capture time) but never later than the clock
 * when it is written. A file camera's capture time is "first frame's ingest time + PTS", so a clip decoded faster
 * than real time runs ahead of the clock; such timestamps would stop retention from deleting the segments and are
 * refused by a broker that bounds {@code log.message.timestamp.after.max.ms}, which would fail the transactional
 * sink. The capture time itself stays in the Avro body.
 */
public final class OutboundRecordSerializer implements KafkaRecordSerializationSchema<OutboundRecord> {
    @Override
    public ProducerRecord<byte[], byte[]> serialize(OutboundRecord record, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(record.topic, null, recordTimestamp(record.timestampMs, System.currentTimeMillis()),
                record.key, record.value);
    }

    /** The record's time, or {@code nowMs} when that is in the future. */
    static long recordTimestamp(long recordMs, long nowMs) {
        return Math.min(recordMs, nowMs);
    }
}
