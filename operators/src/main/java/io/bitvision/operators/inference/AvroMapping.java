package io.bitvision.operators.inference;

import io.bitvision.engine.instance.MaskInstance;
import io.bitvision.engine.post.CocoRle;
import io.bitvision.engine.track.Box;
import io.bitvision.operators.source.CameraRecord;
import io.bitvision.schemas.CameraHealth;
import io.bitvision.schemas.CameraState;
import io.bitvision.schemas.CaptureTimeSource;
import io.bitvision.schemas.DeadLetter;
import io.bitvision.schemas.FrameMasks;
import io.bitvision.schemas.Instance;
import io.bitvision.schemas.Rle;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** From source records and tracked instances to the Avro contract (schemas/). */
public final class AvroMapping {
    private AvroMapping() {}

    public static FrameMasks masks(CameraRecord frame, List<TrackedInstance> tracked, String modelId, String modelVersion,
                            String className) {
        List<Instance> instances = new ArrayList<>(tracked.size());
        for (TrackedInstance t : tracked) {
            MaskInstance m = t.instance();
            Box b = m.box();
            instances.add(Instance.newBuilder()
                    .setTrackId(t.trackId())
                    .setClassId(m.classId())
                    .setClassName(className)
                    .setScore(m.score())
                    .setBbox(List.of(b.x(), b.y(), b.width(), b.height()))
                    .setArea(m.area())
                    .setRle(Rle.newBuilder()
                            .setSize(List.of(frame.height, frame.width))
                            .setCounts(CocoRle.compress(m.rleCounts()))
                            .build())
                    .build());
        }
        return FrameMasks.newBuilder()
                .setCameraId(frame.cameraId)
                .setFrameSeq(frame.frameSeq)
                .setPtsUs(frame.ptsUs)
                .setCaptureTimeMs(Instant.ofEpochMilli(frame.captureTimeMs))
                .setCaptureTimeSource(CaptureTimeSource.valueOf(frame.captureTimeSource.name()))
                .setIngestTimeMs(Instant.ofEpochMilli(frame.ingestTimeMs))
                .setFrameWidth(frame.width)
                .setFrameHeight(frame.height)
                .setModelId(modelId)
                .setModelVersion(modelVersion)
                .setFramesDropped(frame.droppedSinceLast)
                .setInstances(instances)
                .build();
    }

    static CameraHealth health(CameraRecord record) {
        return CameraHealth.newBuilder()
                .setCameraId(record.cameraId)
                .setTimeMs(Instant.ofEpochMilli(record.ingestTimeMs))
                .setState(CameraState.valueOf(record.state.name()))
                .setReason(record.reason)
                .setReconnectAttempts(record.reconnectAttempts)
                .setFramesDecoded(record.framesDecoded)
                .setFramesDropped(record.framesDropped)
                .setDecodeFps((float) record.decodeFps)
                .build();
    }

    /**
     * Largest payload a dead letter carries: under Kafka's default 1 MiB record limit with room for the other
     * fields, so one huge bad input cannot fail the exactly-once sink (and with it every camera). A larger
     * payload is left out and the reason says so; its topic and offset still locate the original.
     */
    static final int MAX_DEAD_LETTER_PAYLOAD = 900 * 1024;

    static DeadLetter deadLetter(CameraRecord record) {
        boolean tooLarge = record.payload != null && record.payload.length > MAX_DEAD_LETTER_PAYLOAD;
        String reason = record.reason == null ? "" : record.reason;
        if (tooLarge) {
            reason += " (payload of " + record.payload.length + " bytes not kept: over the "
                    + MAX_DEAD_LETTER_PAYLOAD + "-byte dead-letter limit; see source_topic and position)";
        }
        return DeadLetter.newBuilder()
                .setTimeMs(Instant.ofEpochMilli(record.ingestTimeMs))
                .setSourceTopic(record.sourceTopic)
                // The Kafka ingest keys records without a usable camera id by "": unknown, so null in the contract.
                .setCameraId(record.cameraId == null || record.cameraId.isEmpty() ? null : record.cameraId)
                .setSourceUri(record.sourceUri)
                .setPosition(record.position >= 0 ? record.position : null)
                .setErrorType(record.errorType == null ? "UNKNOWN" : record.errorType.name())
                .setReason(reason)
                .setPayload(record.payload == null || tooLarge ? null : ByteBuffer.wrap(record.payload))
                .build();
    }

    /** A frame the engine or post-processing could not handle; the frame is identified, its pixels are not kept. */
    static DeadLetter inferenceFailure(CameraRecord frame, RuntimeException error) {
        return failure(frame, "INFERENCE_FAILED", error);
    }

    /** The face step failed on a frame whose masks were still published. */
    static DeadLetter faceFailure(CameraRecord frame, RuntimeException error) {
        return failure(frame, "FACE_ANALYSIS_FAILED", error);
    }

    private static DeadLetter failure(CameraRecord frame, String type, RuntimeException error) {
        return DeadLetter.newBuilder()
                .setTimeMs(Instant.now())
                .setCameraId(frame.cameraId)
                .setSourceUri(frame.sourceUri)
                .setSourceTopic(frame.sourceTopic)
                .setPosition(frame.frameSeq)
                .setErrorType(type)
                .setReason(error.getClass().getSimpleName() + ": " + error.getMessage())
                .build();
    }
}
