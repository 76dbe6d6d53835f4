package io.bitvision.operators.source.kafka;

import io.bitvision.operators.source.CameraRecord;
import io.bitvision.operators.source.CameraRecord.CaptureTimeSource;
import io.bitvision.operators.source.CameraRecord.ErrorType;
import io.bitvision.operators.source.CameraRecord.Kind;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JpegRecordDeserializerTest {
    private static final String TOPIC = "camera-jpeg";
    private static final long NOW = 1_700_000_000_000L;
    private static final long CAPTURED = 1_699_999_999_000L;
    private static final Color GREEN = new Color(40, 200, 60);

    private final JpegRecordDeserializer deserializer = new JpegRecordDeserializer(JpegLimits.defaults());

    private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value, TimestampType type, long ts) {
        return new ConsumerRecord<>(TOPIC, 3, 41L, ts, type, key == null ? -1 : key.length,
                value == null ? -1 : value.length, key, value, new RecordHeaders(), Optional.empty());
    }

    private static ConsumerRecord<byte[], byte[]> record(String key, byte[] value) {
        return record(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, TimestampType.CREATE_TIME,
                CAPTURED);
    }

    @Test
    void aJpegBecomesAFrame() {
        CameraRecord r = deserializer.toCameraRecord(record("lobby-ü", TestJpegs.solid(24, 16, GREEN)), NOW);

        assertThat(r.kind).isEqualTo(Kind.FRAME);
        assertThat(r.cameraId).isEqualTo("lobby-ü");
        assertThat(r.captureTimeMs).isEqualTo(CAPTURED);
        assertThat(r.captureTimeSource).isEqualTo(CaptureTimeSource.STREAM_WALLCLOCK);
        assertThat(r.ingestTimeMs).isEqualTo(NOW);
        assertThat(r.width).isEqualTo(24);
        assertThat(r.height).isEqualTo(16);
        assertThat(TestJpegs.maxDeviation(r.rgb, GREEN)).isLessThanOrEqualTo(6);
        assertThat(r.frameSeq).isEqualTo(-1);
        assertThat(r.ptsUs).isEqualTo(-1);
        assertThat(r.sourceTopic).isEqualTo(TOPIC);
        assertThat(r.payload).isNull();
        assertThat(r.errorType).isNull();
    }

    @Test
    void logAppendTimeIsTheBrokersClockNotTheCamera() {
        CameraRecord r = deserializer.toCameraRecord(record("a".getBytes(StandardCharsets.UTF_8),
                TestJpegs.solid(8, 8, GREEN), TimestampType.LOG_APPEND_TIME, CAPTURED), NOW);
        assertThat(r.kind).isEqualTo(Kind.FRAME);
        assertThat(r.captureTimeMs).isEqualTo(CAPTURED);
        assertThat(r.captureTimeSource).isEqualTo(CaptureTimeSource.INGEST_CLOCK);
    }

    @Test
    void noTimestampFallsBackToTheIngestClock() {
        CameraRecord r = deserializer.toCameraRecord(new ConsumerRecord<>(TOPIC, 0, 5L,
                "a".getBytes(StandardCharsets.UTF_8), TestJpegs.solid(8, 8, GREEN)), NOW);
        assertThat(r.captureTimeMs).isEqualTo(NOW);
        assertThat(r.captureTimeSource).isEqualTo(CaptureTimeSource.INGEST_CLOCK);
    }

    @Test
    void aCorruptValueIsADeadLetterWithItsExactBytes() {
        byte[] corrupt = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3, 4, 5, 6};
        CameraRecord r = deserializer.toCameraRecord(record("a", corrupt), NOW);

        assertDeadLetter(r, "a", ErrorType.CORRUPT_FRAME);
        assertThat(r.payload).isEqualTo(corrupt);
        assertThat(r.reason).startsWith("CORRUPT: ");
    }

    @Test
    void aRecordWithoutKeyIsAMissingKeyDeadLetterEvenWithAGoodJpeg() {
        byte[] jpeg = TestJpegs.solid(8, 8, GREEN);
        CameraRecord r = deserializer.toCameraRecord(record((String) null, jpeg), NOW);

        assertDeadLetter(r, JpegRecordDeserializer.UNKNOWN_CAMERA_ID, ErrorType.MISSING_KEY);
        assertThat(r.payload).isEqualTo(jpeg);
        assertThat(r.reason).contains("no key");
    }

    @Test
    void blankAndNonUtf8KeysAreMissingKeys() {
        byte[] jpeg = TestJpegs.solid(8, 8, GREEN);
        for (byte[] key : new byte[][] {{}, " \t".getBytes(StandardCharsets.UTF_8), {(byte) 0xC3, (byte) 0x28}}) {
            CameraRecord r = deserializer.toCameraRecord(record(key, jpeg, TimestampType.CREATE_TIME, CAPTURED), NOW);
            assertDeadLetter(r, "", ErrorType.MISSING_KEY);
        }
        CameraRecord bad = deserializer.toCameraRecord(
                record(new byte[] {(byte) 0xC3, (byte) 0x28}, jpeg, TimestampType.CREATE_TIME, CAPTURED), NOW);
        assertThat(bad.reason).contains("c3 28");
    }

    @Test
    void aTombstoneIsADeadLetterWithoutPayload() {
        CameraRecord r = deserializer.toCameraRecord(record("a", null), NOW);
        assertDeadLetter(r, "a", ErrorType.CORRUPT_FRAME);
        assertThat(r.payload).isNull();
        assertThat(r.reason).contains("tombstone");
    }

    @Test
    void oversizedInputIsAnOversizedDeadLetter() {
        byte[] jpeg = TestJpegs.solid(64, 48, GREEN);
        JpegRecordDeserializer byBytes = new JpegRecordDeserializer(JpegLimits.defaults().withMaxBytes(100));
        JpegRecordDeserializer byPixels = new JpegRecordDeserializer(JpegLimits.defaults().withMaxPixels(1000));

        CameraRecord tooLong = byBytes.toCameraRecord(record("a", jpeg), NOW);
        assertDeadLetter(tooLong, "a", ErrorType.OVERSIZED);
        assertThat(tooLong.payload).isEqualTo(jpeg);
        assertThat(tooLong.reason).startsWith("TOO_MANY_BYTES");

        CameraRecord tooBig = byPixels.toCameraRecord(record("a", jpeg), NOW);
        assertDeadLetter(tooBig, "a", ErrorType.OVERSIZED);
        assertThat(tooBig.reason).startsWith("TOO_MANY_PIXELS");
    }

    @Test
    void deserializeEmitsExactlyOneRecordPerInputWithoutOpen() {
        List<CameraRecord> out = new ArrayList<>();
        Collector<CameraRecord> collector = new Collector<>() {
            @Override
            public void collect(CameraRecord record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
        deserializer.deserialize(record("a", TestJpegs.solid(8, 8, GREEN)), collector);
        deserializer.deserialize(record("a", new byte[] {1, 2, 3}), collector);
        deserializer.deserialize(record((String) null, null), collector);

        assertThat(out).extracting(r -> r.kind).containsExactly(Kind.FRAME, Kind.DEAD_LETTER, Kind.DEAD_LETTER);
        assertThat(deserializer.getProducedType().getTypeClass()).isEqualTo(CameraRecord.class);
    }

    private static void assertDeadLetter(CameraRecord r, String cameraId, ErrorType type) {
        assertThat(r.kind).isEqualTo(Kind.DEAD_LETTER);
        assertThat(r.cameraId).isEqualTo(cameraId);
        assertThat(r.errorType).isEqualTo(type);
        assertThat(r.sourceTopic).isEqualTo(TOPIC);
        assertThat(r.sourceUri).isEqualTo("kafka://" + TOPIC + "/3");
        assertThat(r.position).isEqualTo(41L);
        assertThat(r.ingestTimeMs).isEqualTo(NOW);
        assertThat(r.frameSeq).isEqualTo(-1);
        assertThat(r.rgb).isNull();
        assertThat(r.reason).isNotBlank();
    }
}
