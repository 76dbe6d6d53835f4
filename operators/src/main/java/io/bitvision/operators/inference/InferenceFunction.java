package io.bitvision.operators.inference;

import io.bitvision.engine.model.Model;
import io.bitvision.engine.track.Box;
import io.bitvision.engine.track.IouTracker;
import io.bitvision.operators.faces.FaceCandidate;
import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.engine.track.TrackerSnapshot;
import io.bitvision.operators.kafka.OutboundRecord;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.operators.source.CameraRecord;
import io.bitvision.schemas.AvroRecords;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by camera: runs each frame through this subtask's engine, tracks the instances with the camera's
 * tracker (kept in keyed state, so track ids survive checkpoints and restarts), and emits encoded records:
 * masks for frames, health events and dead letters passed through from the source.
 */
public final class InferenceFunction extends KeyedProcessFunction<String, CameraRecord, OutboundRecord> {
    private static final long serialVersionUID = 1L;

    private final ModelRef modelRef;
    private final Topics topics;
    private final long maxArenaBytes;
    private final int minCells;
    private final String className;
    private final FaceEmbedder faceEmbedder; // null: no face candidates

    /** Embeddings of tracked instances for face matching; emitted only when an embedder is configured. */
    public static final OutputTag<FaceCandidate> FACE_CANDIDATES =
            new OutputTag<>("face-candidates", TypeInformation.of(FaceCandidate.class));

    private transient FrameAnalyzer analyzer;
    private transient ValueState<byte[]> trackerState;
    private transient Histogram latencyMs;
    private transient MetricGroup metrics;
    private transient Map<String, CameraInferenceMetrics> cameraMetrics;

    public InferenceFunction(ModelRef modelRef, Topics topics, long maxArenaBytes, int minCells, String className) {
        this(modelRef, topics, maxArenaBytes, minCells, className, null);
    }

    public InferenceFunction(ModelRef modelRef, Topics topics, long maxArenaBytes, int minCells, String className,
                             FaceEmbedder faceEmbedder) {
        this.faceEmbedder = faceEmbedder;
        this.modelRef = modelRef;
        this.topics = topics;
        this.maxArenaBytes = maxArenaBytes;
        this.minCells = minCells;
        this.className = className;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        Model model = SharedModels.get(modelRef);
        analyzer = new FrameAnalyzer(model, maxArenaBytes, minCells);
        trackerState = getRuntimeContext().getState(new ValueStateDescriptor<>("tracker", byte[].class));
        metrics = getRuntimeContext().getMetricGroup().addGroup("inference");
        latencyMs = metrics.histogram("latencyMs", new DescriptiveStatisticsHistogram(500));
        metrics.gauge("arenaBytes", analyzer::arenaBytes);
        cameraMetrics = new HashMap<>();
    }

    private OutboundRecord masks(CameraRecord record, byte[] key, Context context) throws java.io.IOException {
        long start = System.nanoTime();
        IouTracker tracker = new IouTracker(0.3f, 10);
        byte[] saved = trackerState.value();
        if (saved != null) {
            tracker.restore(TrackerSnapshot.fromBytes(saved));
        }
        List<TrackedInstance> instances = analyzer.analyze(record.rgb, record.height, record.width, record.frameSeq, tracker);
        trackerState.update(tracker.snapshot().toBytes());
        if (faceEmbedder != null) {
            for (TrackedInstance t : instances) {
                context.output(FACE_CANDIDATES, candidate(record, t));
            }
        }
        Model model = analyzer.model();
        byte[] value = AvroRecords.encode(AvroMapping.masks(record, instances, model.name(), model.version(), className));
        long nanos = System.nanoTime() - start;
        latencyMs.update(nanos / 1_000_000);
        cameraMetrics.computeIfAbsent(record.cameraId, id -> new CameraInferenceMetrics(getRuntimeContext().getMetricGroup(), id))
                .frame(nanos, record.captureTimeMs, record.droppedSinceLast);
        return new OutboundRecord(topics.masks(), key, value, record.captureTimeMs);
    }

    private FaceCandidate candidate(CameraRecord frame, TrackedInstance tracked) {
        Box box = tracked.instance().box();
        FaceCandidate c = new FaceCandidate();
        c.cameraId = frame.cameraId;
        c.frameSeq = frame.frameSeq;
        c.trackId = tracked.trackId();
        c.captureTimeMs = frame.captureTimeMs;
        c.bbox = new float[] {box.x(), box.y(), box.width(), box.height()};
        c.embedding = faceEmbedder.embed(frame.rgb, frame.height, frame.width, box);
        c.embedderId = faceEmbedder.id();
        return c;
    }

    @Override
    public void processElement(CameraRecord record, Context context, Collector<OutboundRecord> out) throws Exception {
        byte[] key = record.cameraId.getBytes(StandardCharsets.UTF_8);
        switch (record.kind) {
            case FRAME -> {
                try {
                    out.collect(masks(record, key, context));
                } catch (RuntimeException e) {
                    // One bad frame must not stop the job for every camera: report it, keep going.
                    out.collect(new OutboundRecord(topics.deadLetters(), key,
                            AvroRecords.encode(AvroMapping.inferenceFailure(record, e)), record.ingestTimeMs));
                }
            }
            case HEALTH -> out.collect(new OutboundRecord(topics.health(), key,
                    AvroRecords.encode(AvroMapping.health(record)), record.ingestTimeMs));
            case DEAD_LETTER -> out.collect(new OutboundRecord(topics.deadLetters(), key,
                    AvroRecords.encode(AvroMapping.deadLetter(record)), record.ingestTimeMs));
        }
    }
}
