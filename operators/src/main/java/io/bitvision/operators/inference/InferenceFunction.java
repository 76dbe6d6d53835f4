package io.bitvision.operators.inference;

import io.bitvision.operators.activity.FrameSummary;
import io.bitvision.engine.kernel.Kernels;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.track.Box;
import io.bitvision.engine.track.IouTracker;
import io.bitvision.operators.faces.FaceAnalyzer;
import io.bitvision.operators.faces.FaceCandidate;
import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.engine.track.TrackerSnapshot;
import io.bitvision.operators.kafka.OutboundRecord;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.operators.preview.PreviewFrame;
import io.bitvision.operators.preview.PreviewScaler;
import io.bitvision.operators.preview.PreviewSampler;
import io.bitvision.operators.preview.PreviewSettings;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by camera: runs each frame through this subtask's engine, tracks the instances with the camera's
 * tracker (kept in keyed state, so track ids survive checkpoints and restarts), and emits encoded records:
 * masks for frames, health events and dead letters passed through from the source.
 */
public final class InferenceFunction extends KeyedProcessFunction<String, CameraRecord, OutboundRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceFunction.class);

    private static final long serialVersionUID = 1L;

    private CameraModels.Assignment models;
    private final Topics topics;
    private final long maxArenaBytes;
    private final int minCells;
    private final String className;
    private final FaceEmbedder faceEmbedder; // null: no face candidates
    private final FaceAnalyzer faceAnalyzer; // null: faces are the person instances' boxes (no detector)
    private java.util.Set<String> faceCameras = java.util.Set.of(); // empty: every camera
    private int inferenceThreads = 1;
    private PreviewSettings previews; // null: no previews

    /**
     * Embeddings of faces for matching; emitted only when an embedder is configured: the detector's faces, aligned
     * by their landmarks and tracked by the camera's face tracker, or without a detector the person instances'
     * boxes and tracks.
     */
    public static final OutputTag<FaceCandidate> FACE_CANDIDATES =
            new OutputTag<>("face-candidates", TypeInformation.of(FaceCandidate.class));

    /** Frames chosen for a preview, downscaled; {@code PreviewEncodeFunction} makes the JPEG records. */
    public static final OutputTag<PreviewFrame> PREVIEW_FRAMES =
            new OutputTag<>("preview-frames", TypeInformation.of(PreviewFrame.class));

    /** One per frame that gets masks: its number, drops and track ids, for per-camera activity counts. */
    public static final OutputTag<FrameSummary> FRAME_SUMMARIES =
            new OutputTag<>("frame-summaries", TypeInformation.of(FrameSummary.class));

    private transient CameraModels engines;
    /** Cameras whose own model cannot run and that got a FAILED health event for it from this subtask. */
    private transient java.util.Set<String> reportedUnusable;
    private transient org.apache.flink.metrics.Counter framesWithoutModel;
    private transient ValueState<byte[]> trackerState;
    private transient ValueState<byte[]> faceTrackerState;
    private transient Histogram latencyMs;
    private transient MetricGroup metrics;
    private transient Map<String, CameraInferenceMetrics> cameraMetrics;
    private transient List<OutboundRecord> faceFailures;
    private transient ValueState<Long> lastPreviewCapture;
    private transient PreviewSampler previewSampler;
    private transient PreviewScaler previewScaler;
    private transient org.apache.flink.metrics.Counter previewFailures;

    public InferenceFunction(ModelRef modelRef, Topics topics, long maxArenaBytes, int minCells, String className) {
        this(modelRef, topics, maxArenaBytes, minCells, className, (FaceEmbedder) null);
    }

    public InferenceFunction(ModelRef modelRef, Topics topics, long maxArenaBytes, int minCells, String className,
                             FaceEmbedder faceEmbedder) {
        this(modelRef, topics, maxArenaBytes, minCells, className, faceEmbedder, null);
    }

    public InferenceFunction(ModelRef modelRef, Topics topics, long maxArenaBytes, int minCells, String className,
                             FaceAnalyzer faceAnalyzer) {
        this(modelRef, topics, maxArenaBytes, minCells, className, faceAnalyzer.embedder(), faceAnalyzer);
    }

    private InferenceFunction(ModelRef modelRef, Topics topics, long maxArenaBytes, int minCells, String className,
                              FaceEmbedder faceEmbedder, FaceAnalyzer faceAnalyzer) {
        this.faceEmbedder = faceEmbedder;
        this.faceAnalyzer = faceAnalyzer;
        this.models = CameraModels.Assignment.of(modelRef);
        this.topics = topics;
        this.maxArenaBytes = maxArenaBytes;
        this.minCells = minCells;
        this.className = className;
    }

    /**
     * Threads this subtask's engine splits each frame's rows across: the task thread and {@code count - 1} of the
     * engine's own. Set before the job is built; give the TaskManager that many cores per slot.
     */
    public InferenceFunction inferenceThreads(int count) {
        if (count < 1 || count > io.bitvision.engine.InferenceEngine.MAX_THREADS) {
            throw new IllegalArgumentException("inference threads must be 1.." + io.bitvision.engine.InferenceEngine.MAX_THREADS
                    + ": " + count);
        }
        this.inferenceThreads = count;
        return this;
    }

    /**
     * Also publishes downscaled JPEGs of some processed frames ({@link PreviewSettings}); off unless called. Which
     * frames get one is decided from capture times kept in keyed state, so replays pick the same frames.
     */
    public InferenceFunction previews(PreviewSettings settings) {
        this.previews = settings;
        return this;
    }

    /**
     * Cameras that run a model of their own instead of the default (by camera id, whatever source the camera comes
     * from). Each model in use gets its own engine and arena in each subtask, bounded like the default's.
     */
    public InferenceFunction cameraModels(Map<String, ModelRef> byCamera) {
        this.models = new CameraModels.Assignment(models.defaultModel(), byCamera, models.byName());
        return this;
    }

    /**
     * Only these cameras' frames are searched for faces (with a face embedder set); the others pay for masks only.
     * Empty (the default): every camera.
     */
    public InferenceFunction faceCameras(java.util.Set<String> cameraIds) {
        this.faceCameras = java.util.Set.copyOf(cameraIds);
        return this;
    }

    /**
     * Models a camera may ask for by name in its camera registry record. A camera that names a model the job does
     * not have gets a FAILED health event, never the default model in its place.
     */
    public InferenceFunction namedModels(Map<String, ModelRef> byName) {
        this.models = new CameraModels.Assignment(models.defaultModel(), models.byCamera(), byName);
        return this;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        engines = new CameraModels(models,
                ref -> new FrameAnalyzer(SharedModels.get(ref), maxArenaBytes, minCells, inferenceThreads));
        reportedUnusable = new java.util.HashSet<>();
        FrameAnalyzer analyzer = engines.defaultAnalyzer();
        trackerState = getRuntimeContext().getState(new ValueStateDescriptor<>("tracker", byte[].class));
        faceTrackerState = getRuntimeContext().getState(new ValueStateDescriptor<>("face-tracker", byte[].class));
        metrics = getRuntimeContext().getMetricGroup().addGroup("inference");
        latencyMs = metrics.histogram("latencyMs", new DescriptiveStatisticsHistogram(500));
        metrics.gauge("arenaBytes", engines::arenaBytes);
        metrics.gauge("engines", engines::enginesLoaded);
        framesWithoutModel = metrics.counter("framesWithoutModel");
        String kernels = analyzer.kernelStrategy().name();
        metrics.gauge("kernels", () -> kernels);
        int threads = analyzer.threads();
        metrics.gauge("threads", () -> threads);
        LOG.info("inference kernels {} on {} thread(s) per frame: {}", kernels, threads, Kernels.describe());
        cameraMetrics = new HashMap<>();
        faceFailures = new java.util.ArrayList<>();
        if (previews != null) {
            lastPreviewCapture = getRuntimeContext().getState(new ValueStateDescriptor<>("last-preview", Long.class));
            previewSampler = new PreviewSampler(previews.intervalMs());
            previewScaler = new PreviewScaler(previews.width());
            previewFailures = metrics.counter("previewFailures");
            LOG.info("previews on: {} at most {} per second per camera, {} px wide", previews.topic(), previews.fps(),
                    previews.width());
        }
    }

    /**
     * Sends the frame, downscaled, to the preview encoder ({@link #PREVIEW_FRAMES}) when a preview is due. The JPEG
     * encoding runs in its own task, off this thread; scaling here costs about 4 ms per preview.
     */
    private void emitPreviewIfDue(CameraRecord record, Context context) throws java.io.IOException {
        if (previews == null) {
            return;
        }
        Long last = lastPreviewCapture.value();
        if (!previewSampler.due(record.captureTimeMs, last == null ? PreviewSampler.NONE : last)) {
            return;
        }
        PreviewScaler.Scaled scaled;
        try {
            scaled = previewScaler.scale(record.rgb, record.height, record.width);
        } catch (RuntimeException e) {
            previewFailures.inc();
            LOG.warn("no preview for frame {} of camera {}: {}", record.frameSeq, record.cameraId, e.toString());
            return;
        }
        lastPreviewCapture.update(record.captureTimeMs);
        PreviewFrame frame = new PreviewFrame();
        frame.cameraId = record.cameraId;
        frame.frameSeq = record.frameSeq;
        frame.captureTimeMs = record.captureTimeMs;
        frame.frameWidth = record.width;
        frame.frameHeight = record.height;
        frame.width = scaled.width();
        frame.height = scaled.height();
        frame.bgr = scaled.bgr();
        context.output(PREVIEW_FRAMES, frame);
    }

    private OutboundRecord masks(FrameAnalyzer analyzer, CameraRecord record, byte[] key, Context context)
            throws java.io.IOException {
        long start = System.nanoTime();
        IouTracker tracker = PersonTracking.newTracker();
        byte[] saved = trackerState.value();
        if (saved != null) {
            tracker.restore(TrackerSnapshot.fromBytes(saved));
        }
        List<TrackedInstance> instances = analyzer.analyze(record.rgb, record.height, record.width, record.frameSeq, tracker);
        trackerState.update(tracker.snapshot().toBytes());
        boolean lookForFaces = faceCameras.isEmpty() || faceCameras.contains(record.cameraId);
        if (faceAnalyzer != null && lookForFaces) {
            try {
                emitDetectedFaces(record, context);
            } catch (RuntimeException e) {
                // A face failure must not cost the frame its masks: report it, publish the masks.
                faceFailures.add(new OutboundRecord(topics.deadLetters(), key,
                        AvroRecords.encode(AvroMapping.faceFailure(record, e)), record.ingestTimeMs));
            }
        } else if (faceAnalyzer == null && faceEmbedder != null && lookForFaces) {
            for (TrackedInstance t : instances) {
                Box box = t.instance().box();
                context.output(FACE_CANDIDATES, candidate(record, t.trackId(), box,
                        faceEmbedder.embed(record.rgb, record.height, record.width, box)));
            }
        }
        Model model = analyzer.model();
        byte[] value = AvroRecords.encode(AvroMapping.masks(record, instances, model.name(), model.version(), className));
        long nanos = System.nanoTime() - start;
        latencyMs.update(nanos / 1_000_000);
        cameraMetrics.computeIfAbsent(record.cameraId, id -> new CameraInferenceMetrics(getRuntimeContext().getMetricGroup(), id))
                .frame(nanos, record.captureTimeMs, record.droppedSinceLast);
        context.output(FRAME_SUMMARIES, new FrameSummary(record.cameraId,
                record.frameSeq, record.droppedSinceLast, record.captureTimeMs,
                instances.stream().mapToLong(TrackedInstance::trackId).toArray(), model.name()));
        return new OutboundRecord(topics.masks(), key, value, record.captureTimeMs);
    }

    private void emitDetectedFaces(CameraRecord record, Context context) throws java.io.IOException {
        IouTracker tracker = FaceAnalyzer.newTracker();
        byte[] saved = faceTrackerState.value();
        if (saved != null) {
            tracker.restore(TrackerSnapshot.fromBytes(saved));
        }
        List<FaceAnalyzer.AnalyzedFace> faces = faceAnalyzer.analyze(record.rgb, record.height, record.width,
                record.frameSeq, tracker);
        faceTrackerState.update(tracker.snapshot().toBytes());
        for (FaceAnalyzer.AnalyzedFace f : faces) {
            context.output(FACE_CANDIDATES, candidate(record, f.trackId(), f.face().box(), f.embedding()));
        }
    }

    private FaceCandidate candidate(CameraRecord frame, long trackId, Box box, float[] embedding) {
        FaceCandidate c = new FaceCandidate();
        c.cameraId = frame.cameraId;
        c.frameSeq = frame.frameSeq;
        c.trackId = trackId;
        c.captureTimeMs = frame.captureTimeMs;
        c.bbox = new float[] {box.x(), box.y(), box.width(), box.height()};
        c.embedding = embedding;
        c.embedderId = faceEmbedder.id();
        return c;
    }

    @Override
    public void close() throws Exception {
        if (engines != null) {
            engines.close();
        }
        super.close();
    }

    /**
     * The analyzer of the camera's model, or null when the camera's own model cannot run: then the frame gets no
     * masks, and the camera's first such frame in this subtask gives a FAILED health event naming the model and why.
     */
    private FrameAnalyzer analyzerFor(CameraRecord record, byte[] key, Collector<OutboundRecord> out) throws java.io.IOException {
        try {
            return engines.forCamera(record.cameraId, record.model);
        } catch (CameraModels.UnusableModelException e) {
            framesWithoutModel.inc();
            if (reportedUnusable.add(record.cameraId)) {
                LOG.warn("camera {} gets no masks: {}", record.cameraId, e.getMessage());
                long now = System.currentTimeMillis();
                CameraRecord health = CameraRecord.health(record.cameraId, CameraRecord.State.FAILED, e.getMessage(),
                        0, 0, 0, 0, now);
                out.collect(new OutboundRecord(topics.health(), key, AvroRecords.encode(AvroMapping.health(health)), now));
            }
            return null;
        }
    }

    @Override
    public void processElement(CameraRecord record, Context context, Collector<OutboundRecord> out) throws Exception {
        byte[] key = record.cameraId.getBytes(StandardCharsets.UTF_8);
        switch (record.kind) {
            case FRAME -> {
                FrameAnalyzer analyzer = analyzerFor(record, key, out);
                if (analyzer == null) {
                    return;
                }
                try {
                    out.collect(masks(analyzer, record, key, context));
                    emitPreviewIfDue(record, context);
                    faceFailures.forEach(out::collect);
                    faceFailures.clear();
                } catch (RuntimeException e) {
                    faceFailures.clear();
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
