package io.bitvision.operators.source.kafka;

import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.operators.inference.DarkRegionsModel;
import io.bitvision.operators.inference.InferenceFunction;
import io.bitvision.operators.inference.ModelRef;
import io.bitvision.operators.kafka.OutboundRecord;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.operators.source.CameraRecord;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.DeadLetter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dead letters of the Kafka ingest through the job's InferenceFunction to the Avro DeadLetter contract: the
 * original bytes, topic, partition and offset arrive on the dead-letter topic.
 */
class KafkaDeadLetterContractTest {
    private static final Topics TOPICS = Topics.defaults();

    private static List<OutboundRecord> throughInference(CameraRecord... records) throws Exception {
        Model model = DarkRegionsModel.build(8, 8, 70);
        InferenceFunction inference = new InferenceFunction(
                ModelRef.ofBytes(model.name(), ModelWriter.toBytes(model)), TOPICS, 64L << 20, 6, "dark-region");
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(inference),
                (CameraRecord r) -> r.cameraId, Types.STRING)) {
            h.open();
            for (CameraRecord r : records) {
                h.processElement(r, r.ingestTimeMs);
            }
            return h.extractOutputValues();
        }
    }

    private static ConsumerRecord<byte[], byte[]> kafka(byte[] key, byte[] value, long offset) {
        return new ConsumerRecord<>("camera-jpeg", 2, offset, 1_000L, TimestampType.CREATE_TIME, -1, -1, key, value,
                new RecordHeaders(), Optional.empty());
    }

    @Test
    void corruptValueArrivesWithItsBytesTopicAndOffset() throws Exception {
        byte[] corrupt = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0, 42, 7};
        CameraRecord deadLetter = new JpegRecordDeserializer(JpegLimits.defaults()).toCameraRecord(
                kafka("a".getBytes(StandardCharsets.UTF_8), corrupt, 77L), 5_000L);

        List<OutboundRecord> out = throughInference(deadLetter);

        assertThat(out).hasSize(1);
        assertThat(out.get(0).topic).isEqualTo(TOPICS.deadLetters());
        assertThat(out.get(0).key).isEqualTo("a".getBytes(StandardCharsets.UTF_8));
        DeadLetter letter = AvroRecords.decode(out.get(0).value, DeadLetter.class);
        assertThat(letter.getCameraId()).isEqualTo("a");
        assertThat(letter.getSourceTopic()).isEqualTo("camera-jpeg");
        assertThat(letter.getSourceUri()).isEqualTo("kafka://camera-jpeg/2");
        assertThat(letter.getPosition()).isEqualTo(77L);
        assertThat(letter.getErrorType()).isEqualTo("CORRUPT_FRAME");
        assertThat(letter.getTimeMs().toEpochMilli()).isEqualTo(5_000L);
        assertThat(bytes(letter.getPayload())).isEqualTo(corrupt);
    }

    @Test
    void unkeyedRecordHasNoCameraInTheContract() throws Exception {
        byte[] value = {1, 2, 3};
        CameraRecord deadLetter = new JpegRecordDeserializer(JpegLimits.defaults())
                .toCameraRecord(kafka(null, value, 3L), 5_000L);

        DeadLetter letter = AvroRecords.decode(throughInference(deadLetter).get(0).value, DeadLetter.class);

        assertThat(letter.getCameraId()).isNull();
        assertThat(letter.getErrorType()).isEqualTo("MISSING_KEY");
        assertThat(bytes(letter.getPayload())).isEqualTo(value);
    }

    @Test
    void videoDeadLettersKeepNoPayloadAndNoTopic() throws Exception {
        CameraRecord video = CameraRecord.deadLetter("lobby", CameraRecord.ErrorType.READ_ERROR, "eof",
                "rtsp://cam/1", 12, 5_000L);

        DeadLetter letter = AvroRecords.decode(throughInference(video).get(0).value, DeadLetter.class);

        assertThat(letter.getCameraId()).isEqualTo("lobby");
        assertThat(letter.getSourceTopic()).isNull();
        assertThat(letter.getPayload()).isNull();
        assertThat(letter.getPosition()).isEqualTo(12L);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
