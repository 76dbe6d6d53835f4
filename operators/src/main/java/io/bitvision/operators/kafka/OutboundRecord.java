package io.bitvision.operators.kafka;

/**
 * A record on its way to Kafka, already encoded: topic, key (camera id, UTF-8) and value (Avro single-object
 * encoding). Encoding before the sink keeps Avro types out of Flink's type system. A Flink POJO.
 */
public class OutboundRecord {
    public String topic;
    public byte[] key;
    public byte[] value;
    public long timestampMs;

    public OutboundRecord() {}

    public OutboundRecord(String topic, byte[] key, byte[] value, long timestampMs) {
        this.topic = topic;
        this.key = key;
        this.value = value;
        this.timestampMs = timestampMs;
    }
}
