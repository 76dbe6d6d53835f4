package io.bitvision.operators.kafka;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundRecordSerializerTest {
    private static final byte[] KEY = {'c'};
    private static final byte[] VALUE = {1, 2, 3};

    @Test
    void pastTimesAreKeptAndFutureTimesBecomeNow() {
        OutboundRecordSerializer serializer = new OutboundRecordSerializer();
        long now = System.currentTimeMillis();
        ProducerRecord<byte[], byte[]> past = serializer.serialize(new OutboundRecord("t", KEY, VALUE, now - 60_000),
                null, null);
        assertThat(past.timestamp()).isEqualTo(now - 60_000);
        assertThat(past.topic()).isEqualTo("t");
        assertThat(past.key()).isSameAs(KEY);
        assertThat(past.value()).isSameAs(VALUE);

        long future = now + 3_600_000;
        ProducerRecord<byte[], byte[]> ahead = serializer.serialize(new OutboundRecord("t", KEY, VALUE, future),
                null, null);
        assertThat(ahead.timestamp()).isBetween(now, System.currentTimeMillis());
    }

    @Test
    void recordTimestampIsTheEarlierOfTheTwo() {
        assertThat(OutboundRecordSerializer.recordTimestamp(1_000, 2_000)).isEqualTo(1_000);
        assertThat(OutboundRecordSerializer.recordTimestamp(3_000, 2_000)).isEqualTo(2_000);
    }
}
