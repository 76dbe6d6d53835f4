package io.bitvision.operators.source.kafka;

import io.bitvision.operators.source.CameraRecord;
import io.bitvision.operators.source.CameraRecord.CaptureTimeSource;
import io.bitvision.operators.source.CameraRecord.ErrorType;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;

/**
 * Turns each Kafka record (key = camera id in UTF-8, value = one JPEG frame, timestamp = capture time) into exactly
 * one {@link CameraRecord}: a FRAME, or a DEAD_LETTER that keeps the original value bytes. It never throws, so a bad
 * record can never fail or stall the job.
 *
 * <p>FRAME: {@code cameraId} from the key; {@code captureTimeMs} from the record timestamp, with
 * {@code STREAM_WALLCLOCK} when it is the producer's CreateTime (the camera's clock) and {@code INGEST_CLOCK} when
 * the topic uses LogAppendTime (the broker's clock) or there is no timestamp (then it is the ingest time);
 * {@code ingestTimeMs} now; width, height, rgb; {@code frameSeq} -1 ({@link FrameSequencer} numbers frames after the
 * keyBy); {@code ptsUs} -1; {@code sourceTopic}.
 *
 * <p>DEAD_LETTER: {@code errorType} {@link ErrorType#MISSING_KEY} (no key, blank, or not UTF-8; {@code cameraId}
 * is then {@value #UNKNOWN_CAMERA_ID}), {@link ErrorType#OVERSIZED} (over {@link JpegLimits}) or
 * {@link ErrorType#CORRUPT_FRAME} (empty, not a JPEG, damaged, unsupported colour space); {@code reason};
 * {@code payload} = the value bytes as received; {@code sourceTopic}; {@code sourceUri} =
 * {@code kafka://<topic>/<partition>}; {@code position} = the record's offset.
 *
 * <p>The Kafka source emits every record with the Kafka timestamp as its Flink timestamp.
 */
public final class JpegRecordDeserializer implements KafkaRecordDeserializationSchema<CameraRecord> {
    private static final long serialVersionUID = 1L;

    /** {@code cameraId} of dead letters whose key gives no camera: Flink keys must not be null. */
    public static final String UNKNOWN_CAMERA_ID = "";
    private static final int KEY_BYTES_SHOWN = 32;

    private final JpegLimits limits;
    private transient JpegFrames frames;
    private transient Counter framesOut;
    private transient Counter deadLettersOut;

    public JpegRecordDeserializer(JpegLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public JpegLimits limits() {
        return limits;
    }

    /** Registers counters {@code jpegIngest.frames} and {@code jpegIngest.deadLetters} on the source's metric group. */
    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        var group = context.getMetricGroup().addGroup("jpegIngest");
        framesOut = group.counter("frames");
        deadLettersOut = group.counter("deadLetters");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<CameraRecord> out) {
        CameraRecord result = toCameraRecord(record, System.currentTimeMillis());
        (result.kind == CameraRecord.Kind.FRAME ? framesOut() : deadLettersOut()).inc();
        out.collect(result);
    }

    /** The one record {@code record} becomes; never throws. */
    CameraRecord toCameraRecord(ConsumerRecord<byte[], byte[]> record, long nowMs) {
        String cameraId = cameraId(record.key());
        try {
            if (cameraId == null) {
                return deadLetter(record, UNKNOWN_CAMERA_ID, ErrorType.MISSING_KEY, missingKeyReason(record.key()),
                        nowMs);
            }
            if (record.value() == null) {
                return deadLetter(record, cameraId, ErrorType.CORRUPT_FRAME, "record has no value (tombstone)",
                        nowMs);
            }
            RgbImage image;
            try {
                image = frames().decode(record.value());
            } catch (JpegDecodeException e) {
                ErrorType type = e.oversized() ? ErrorType.OVERSIZED : ErrorType.CORRUPT_FRAME;
                return deadLetter(record, cameraId, type, e.kind() + ": " + e.getMessage(), nowMs);
            }
            boolean createTime = record.timestampType() == TimestampType.CREATE_TIME && record.timestamp() >= 0;
            long captureMs = record.timestamp() >= 0 ? record.timestamp() : nowMs;
            CameraRecord frame = CameraRecord.frame(cameraId, -1, captureMs,
                    createTime ? CaptureTimeSource.STREAM_WALLCLOCK : CaptureTimeSource.INGEST_CLOCK, nowMs,
                    image.width(), image.height(), image.rgb());
            frame.sourceTopic = record.topic();
            return frame;
        } catch (RuntimeException e) {
            // A bug or a decoder failure not seen before: still one dead letter, never a failed job.
            return deadLetter(record, cameraId == null ? UNKNOWN_CAMERA_ID : cameraId, ErrorType.CORRUPT_FRAME,
                    "unexpected failure: " + e, nowMs);
        }
    }

    /** The camera id in {@code key}, or null when there is none usable (absent, blank, not UTF-8). */
    static String cameraId(byte[] key) {
        if (key == null || key.length == 0) {
            return null;
        }
        try {
            String id = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key))
                    .toString();
            return id.isBlank() ? null : id;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String missingKeyReason(byte[] key) {
        if (key == null) {
            return "record has no key: the key must be the camera id in UTF-8";
        }
        if (key.length == 0) {
            return "record has an empty key: the key must be the camera id in UTF-8";
        }
        String shown = HexFormat.ofDelimiter(" ").formatHex(key, 0, Math.min(key.length, KEY_BYTES_SHOWN))
                + (key.length > KEY_BYTES_SHOWN ? " ..." : "");
        return "record key is blank or not UTF-8 (" + key.length + " bytes: " + shown
                + "): the key must be the camera id in UTF-8";
    }

    private static CameraRecord deadLetter(ConsumerRecord<byte[], byte[]> record, String cameraId, ErrorType type,
                                           String reason, long nowMs) {
        CameraRecord r = CameraRecord.deadLetter(cameraId, type, reason,
                "kafka://" + record.topic() + "/" + record.partition(), record.offset(), nowMs);
        r.payload = record.value();
        r.sourceTopic = record.topic();
        return r;
    }

    private JpegFrames frames() {
        if (frames == null) {
            frames = new JpegFrames(limits);
        }
        return frames;
    }

    private Counter framesOut() {
        if (framesOut == null) {
            framesOut = new SimpleCounter();
        }
        return framesOut;
    }

    private Counter deadLettersOut() {
        if (deadLettersOut == null) {
            deadLettersOut = new SimpleCounter();
        }
        return deadLettersOut;
    }

    @Override
    public TypeInformation<CameraRecord> getProducedType() {
        return TypeInformation.of(CameraRecord.class);
    }
}
