package io.bitvision.benchmarks.pipeline;

import io.bitvision.benchmarks.live.Percentiles;
import io.bitvision.operators.inference.AvroMapping;
import io.bitvision.engine.track.IouTracker;
import io.bitvision.engine.track.TrackerSnapshot;
import io.bitvision.operators.inference.FrameAnalyzer;
import io.bitvision.operators.inference.TrackedInstance;
import io.bitvision.operators.kafka.OutboundRecord;
import io.bitvision.operators.source.CameraRecord;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.CaptureTimeSource;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * What the job does per frame besides decoding and analyze, each step timed alone on real frames and instances
 * (median and mean ms per frame after a warm-up):
 * <ul>
 *   <li>the keyBy between source and inference: Flink's POJO serializer writes the {@link CameraRecord} (with its
 *       {@code w*h*3} byte array) on the source's thread and reads it back on the inference thread;
 *   <li>the inference operator's keyed tracker state: restore from bytes, snapshot to bytes, each frame;
 *   <li>the Avro record: mapping (a replica of operators' AvroMapping.masks, which is package-private), COCO RLE
 *       compression and single-object encoding;
 *   <li>the copy of each {@link OutboundRecord} between the chained inference and sink operators (Flink copies
 *       records between chained operators unless object reuse is on).
 * </ul>
 */
final class StageCosts {
    private StageCosts() {}

    static Map<String, Object> measure(FrameAnalyzer analyzer, List<byte[]> frames, int height, int width,
                                       String className) throws Exception {
        int n = frames.size();
        int warm = n / 4;
        TypeSerializer<CameraRecord> recordSerializer =
                TypeInformation.of(CameraRecord.class).createSerializer(new SerializerConfigImpl());
        TypeSerializer<OutboundRecord> outboundSerializer =
                TypeInformation.of(OutboundRecord.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(height * width * 3 + 4096);
        DataInputDeserializer in = new DataInputDeserializer();
        IouTracker tracker = io.bitvision.operators.inference.PersonTracking.newTracker();
        byte[] savedTracker = null;
        int measured = n - warm;
        long[] serialize = new long[measured];
        long[] deserialize = new long[measured];
        long[] state = new long[measured];
        long[] avro = new long[measured];
        long[] copy = new long[measured];
        long serializedBytes = 0;
        long avroBytes = 0;
        long stateBytes = 0;
        long now = System.currentTimeMillis();
        byte[] key = "bench".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < n; i++) {
            CameraRecord record = CameraRecord.frame("bench", i * 100_000L, now + i * 100L,
                    CameraRecord.CaptureTimeSource.STREAM_PTS, now + i, width, height, frames.get(i));
            record.frameSeq = i;

            long t0 = System.nanoTime();
            out.clear();
            recordSerializer.serialize(record, out);
            long t1 = System.nanoTime();
            in.setBuffer(out.getSharedBuffer(), 0, out.length());
            CameraRecord received = recordSerializer.deserialize(in);
            long t2 = System.nanoTime();

            IouTracker restored = io.bitvision.operators.inference.PersonTracking.newTracker();
            if (savedTracker != null) {
                restored.restore(TrackerSnapshot.fromBytes(savedTracker));
            }
            long t3 = System.nanoTime();
            List<TrackedInstance> instances = analyzer.analyze(received.rgb, height, width, i, tracker);
            long t4 = System.nanoTime();
            savedTracker = tracker.snapshot().toBytes();
            long t5 = System.nanoTime();
            byte[] value = AvroRecords.encode(AvroMapping.masks(received, instances, analyzer.model().name(),
                    analyzer.model().version(), className));
            long t6 = System.nanoTime();
            OutboundRecord copied = outboundSerializer.copy(new OutboundRecord("masks", key, value, record.captureTimeMs));
            long t7 = System.nanoTime();
            if (copied.value.length != value.length) {
                throw new IllegalStateException("copy lost bytes");
            }
            if (i >= warm) {
                int at = i - warm;
                serialize[at] = t1 - t0;
                deserialize[at] = t2 - t1;
                state[at] = (t3 - t2) + (t5 - t4);
                avro[at] = t6 - t5;
                copy[at] = t7 - t6;
                serializedBytes += out.length();
                avroBytes += value.length;
                stateBytes += savedTracker.length;
            }
        }
        Map<String, Object> ms = new LinkedHashMap<>();
        put(ms, "keyby_serialize", serialize);
        put(ms, "keyby_deserialize", deserialize);
        ms.put("keyby_record_bytes", serializedBytes / measured);
        put(ms, "tracker_state", state);
        ms.put("tracker_state_bytes", stateBytes / measured);
        put(ms, "avro_mapping_rle_encode", avro);
        ms.put("avro_record_bytes", avroBytes / measured);
        put(ms, "chained_record_copy", copy);
        return ms;
    }

    /** Median and mean (the mean includes the occasional GC pause the step's allocations cause) in ms. */
    private static void put(Map<String, Object> ms, String step, long[] nanos) {
        ms.put(step + "_ms_p50", Percentiles.percentile(nanos, 50) / 1e6);
        ms.put(step + "_ms_mean", java.util.Arrays.stream(nanos).average().orElse(Double.NaN) / 1e6);
    }
}
