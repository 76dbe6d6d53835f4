package io.bitvision.jobs.pipeline;

import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.operators.faces.FrameFaceDetector;
import io.bitvision.operators.inference.ModelRef;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.operators.preview.PreviewSettings;
import io.bitvision.operators.security.Redaction;
import io.bitvision.operators.source.CameraUriPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Everything the pipeline job needs, checked once in {@link Builder#build()}.
 *
 * <p>The Kafka properties hold the clients' real settings, secrets included (TLS and SASL passwords, JAAS
 * configuration); they go only to the Kafka clients. {@link #toString()} and {@link #describe()} hide secret values
 * ({@link Redaction}) and credentials in camera URLs, so the configuration can be logged and shown.
 *
 * @param cameras           camera id -> URI (file path, file://, http(s)://, rtsp://), in a stable order
 * @param producerProperties extra Kafka producer settings (security: TLS, SASL) passed through untouched: those
 *                           given for every client, then the producer's own
 * @param jpegTopic          topic of cameras that push JPEG frames (key = camera id), or null
 * @param consumerProperties extra Kafka consumer settings, passed through untouched to every consumer the job
 *                           creates (JPEG ingest, watchlist, camera registry): those given for every client, then
 *                           the consumers' own
 * @param cameraRegistryTopic compacted topic (key = camera id, value = URI) of cameras added at run time, or null
 * @param watchlistTopic     topic of WatchlistUpdate records; face matching runs only when it is set
 * @param faceEmbedder       what embeds faces for matching; null: the colour-layout test embedder
 * @param faceDetector       finds faces with landmarks for the embedder; null: the person instances' boxes stand in
 * @param activityTopic      topic of CameraActivity records (people per block of frames); used when
 *                           {@code activityBlockFrames > 0}
 * @param activityBlockFrames frames per activity block; 0: no activity counts (the operator is not in the job)
 * @param cameraSchemes      URI schemes any camera may use; local files only for {@code cameras} besides
 * @param inferenceThreads   threads each inference subtask's engine splits a frame's rows across (1: the task's own)
 * @param previews           downscaled JPEGs of processed frames for the console; null: none (the default)
 * @param cameraModels       models of cameras that do not run {@code model}, by camera id (any source: started,
 *                           registered or pushed JPEGs)
 * @param namedModels        models a camera registry record may ask for by name ({@code "model"} of the record)
 * @param faceCameras        cameras whose frames are searched for faces when a watchlist is set; empty: every camera
 */
public record PipelineConfig(String bootstrapServers, Map<String, String> cameras, Topics topics, ModelRef model,
                             String className, Duration checkpointInterval, int parallelism, String transactionalIdPrefix,
                             Properties producerProperties, long maxArenaBytes, int minCells, double targetFps,
                             Duration stallTimeout, int maxReconnectAttempts, String jpegTopic,
                             Properties consumerProperties, String cameraRegistryTopic, String watchlistTopic,
                             float faceThreshold, long faceCooldownFrames, FaceEmbedder faceEmbedder,
                             FrameFaceDetector faceDetector, String activityTopic, int activityBlockFrames,
                             List<String> cameraSchemes, int inferenceThreads, PreviewSettings previews,
                             Map<String, ModelRef> cameraModels, Map<String, ModelRef> namedModels,
                             java.util.Set<String> faceCameras) {

    /** Where activity counts go unless told otherwise. */
    public static final String DEFAULT_ACTIVITY_TOPIC = "bitvision.activity";

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The settings as strings, in a stable order, safe to print and to show in Flink's web UI: secret values of the
     * Kafka properties are {@value Redaction#HIDDEN}, camera URLs lose their credentials, the model is its name.
     */
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("bootstrap", bootstrapServers);
        cameras.forEach((id, uri) -> d.put("camera." + id, Redaction.text(uri)));
        d.put("topics", topics.toString());
        d.put("model", model == null ? null : model.description());
        cameraModels.forEach((id, ref) -> d.put("camera-model." + id, ref.description()));
        namedModels.forEach((name, ref) -> d.put("named-model." + name, ref.description()));
        d.put("class-name", className);
        d.put("checkpoint-ms", Long.toString(checkpointInterval.toMillis()));
        d.put("parallelism", Integer.toString(parallelism));
        d.put("transactional-id-prefix", transactionalIdPrefix);
        d.put("target-fps", Double.toString(targetFps));
        d.put("stall-timeout-ms", Long.toString(stallTimeout.toMillis()));
        d.put("max-reconnect-attempts", Integer.toString(maxReconnectAttempts));
        d.put("max-arena-bytes", Long.toString(maxArenaBytes));
        d.put("inference-threads", Integer.toString(inferenceThreads));
        putIfSet(d, "jpeg-topic", jpegTopic);
        putIfSet(d, "camera-registry", cameraRegistryTopic);
        d.put("camera-schemes", String.join(",", cameraSchemes));
        if (watchlistTopic != null) {
            d.put("watchlist-topic", watchlistTopic);
            d.put("face-threshold", Float.toString(faceThreshold));
            d.put("face-cooldown-frames", Long.toString(faceCooldownFrames));
            putIfSet(d, "face-model", faceEmbedder == null ? null : faceEmbedder.id());
            putIfSet(d, "face-detector", faceDetector == null ? null : faceDetector.id());
            d.put("face-cameras", faceCameras.isEmpty() ? "all" : String.join(",", faceCameras));
        }
        if (activityBlockFrames > 0) {
            d.put("activity-topic", activityTopic);
            d.put("activity-block-frames", Integer.toString(activityBlockFrames));
        }
        if (previews != null) {
            d.put("preview-topic", previews.topic());
            d.put("preview-fps", Double.toString(previews.fps()));
            d.put("preview-width", Integer.toString(previews.width()));
        }
        Redaction.map(producerProperties).forEach((k, v) -> d.put("producer." + k, v));
        Redaction.map(consumerProperties).forEach((k, v) -> d.put("consumer." + k, v));
        return d;
    }

    private static void putIfSet(Map<String, String> d, String key, String value) {
        if (value != null) {
            d.put(key, value);
        }
    }

    /** {@link #describe()} as one line: secrets hidden (a record's own toString would print them). */
    @Override
    public String toString() {
        return "PipelineConfig" + describe();
    }

    public static final class Builder {
        private String bootstrapServers;
        private final Map<String, String> cameras = new LinkedHashMap<>();
        private Topics topics = Topics.defaults();
        private ModelRef model;
        private String className = "foreground";
        private Duration checkpointInterval = Duration.ofSeconds(2);
        private int parallelism = 1;
        private String transactionalIdPrefix = "bitvision";
        private final Properties kafkaProperties = new Properties();
        private final Properties producerProperties = new Properties();
        private long maxArenaBytes = 256L << 20;
        private int minCells = 6;
        private double targetFps = 0;
        private Duration stallTimeout = Duration.ofSeconds(10);
        private int maxReconnectAttempts = 10;
        private String jpegTopic;
        private String cameraRegistryTopic;
        private String watchlistTopic;
        private float faceThreshold = 0.9f;
        private long faceCooldownFrames = 50;
        private FaceEmbedder faceEmbedder;
        private FrameFaceDetector faceDetector;
        private List<String> cameraSchemes = CameraUriPolicy.DEFAULT_SCHEMES;
        private String activityTopic = DEFAULT_ACTIVITY_TOPIC;
        private int activityBlockFrames;
        private int inferenceThreads = 1;
        private PreviewSettings previews;
        private final Map<String, ModelRef> cameraModels = new LinkedHashMap<>();
        private final Map<String, ModelRef> namedModels = new LinkedHashMap<>();
        private final java.util.Set<String> faceCameras = new java.util.TreeSet<>();
        private final Properties consumerProperties = new Properties();

        public Builder bootstrapServers(String value) {
            this.bootstrapServers = value;
            return this;
        }

        public Builder camera(String id, String uri) {
            if (cameras.put(id, uri) != null) {
                throw new IllegalArgumentException("camera id '" + id + "' given twice");
            }
            return this;
        }

        public Builder topics(Topics value) {
            this.topics = value;
            return this;
        }

        public Builder model(ModelRef value, String instanceClassName) {
            this.model = value;
            this.className = instanceClassName;
            return this;
        }

        public Builder checkpointInterval(Duration value) {
            this.checkpointInterval = value;
            return this;
        }

        public Builder parallelism(int value) {
            this.parallelism = value;
            return this;
        }

        public Builder transactionalIdPrefix(String value) {
            this.transactionalIdPrefix = value;
            return this;
        }

        /** A setting for every Kafka client of the job (producer and consumers), e.g. TLS or SASL. */
        public Builder kafkaProperty(String key, String value) {
            kafkaProperties.setProperty(key, value);
            return this;
        }

        /** A producer setting; wins over the same key given for every client. */
        public Builder producerProperty(String key, String value) {
            producerProperties.setProperty(key, value);
            return this;
        }

        public Builder maxArenaBytes(long value) {
            this.maxArenaBytes = value;
            return this;
        }

        /** Threads per inference subtask that split each frame's rows (1 = none besides the task thread). */
        public Builder inferenceThreads(int value) {
            this.inferenceThreads = value;
            return this;
        }

        public Builder targetFps(double value) {
            this.targetFps = value;
            return this;
        }

        public Builder stallTimeout(Duration value) {
            this.stallTimeout = value;
            return this;
        }

        public Builder maxReconnectAttempts(int value) {
            this.maxReconnectAttempts = value;
            return this;
        }

        public Builder jpegTopic(String value) {
            this.jpegTopic = value;
            return this;
        }

        public Builder watchlist(String topic, float threshold, long cooldownFrames) {
            this.watchlistTopic = topic;
            this.faceThreshold = threshold;
            this.faceCooldownFrames = cooldownFrames;
            return this;
        }

        /** A binary .bvm embedder (EngineFaceEmbedder) or an ONNX one (OnnxFaceEmbedder) instead of the test embedder. */
        public Builder faceEmbedder(FaceEmbedder value) {
            this.faceEmbedder = value;
            return this;
        }

        /** Face matching looks at this camera's frames (repeat for more); without any, at every camera's. */
        public Builder faceCamera(String cameraId) {
            if (cameraId == null || cameraId.isBlank()) {
                throw new IllegalArgumentException("--face-camera needs a camera id");
            }
            faceCameras.add(cameraId);
            return this;
        }

        /** The binary face detector whose landmarks align faces for the embedder. */
        public Builder faceDetector(FrameFaceDetector value) {
            this.faceDetector = value;
            return this;
        }

        public Builder faceThreshold(float value) {
            this.faceThreshold = value;
            return this;
        }

        public Builder faceCooldownFrames(long value) {
            this.faceCooldownFrames = value;
            return this;
        }

        /**
         * Counts people per camera over blocks of {@code blockFrames} frames to {@code topic}; 0 frames turns it off
         * (the default).
         */
        public Builder activity(String topic, int blockFrames) {
            this.activityTopic = topic;
            this.activityBlockFrames = blockFrames;
            return this;
        }

        /** URI schemes any camera may use (default rtsp, rtsps, http, https); see {@link CameraUriPolicy}. */
        public Builder cameraSchemes(List<String> schemes) {
            this.cameraSchemes = List.copyOf(schemes);
            return this;
        }

        /** Camera {@code cameraId} runs {@code value} instead of the default model. */
        public Builder cameraModel(String cameraId, ModelRef value) {
            if (cameraId == null || cameraId.isBlank()) {
                throw new IllegalArgumentException("a camera model needs a camera id");
            }
            if (cameraModels.putIfAbsent(cameraId, java.util.Objects.requireNonNull(value, "model")) != null) {
                throw new IllegalArgumentException("camera " + cameraId + " is given two models");
            }
            return this;
        }

        /** A model cameras may ask for by {@code name} in their camera registry record. */
        public Builder namedModel(String name, ModelRef value) {
            io.bitvision.operators.source.CameraSpec.checkModelName(name);
            if (namedModels.putIfAbsent(name, java.util.Objects.requireNonNull(value, "model")) != null) {
                throw new IllegalArgumentException("model name " + name + " is given twice");
            }
            return this;
        }

        /** Publishes frame previews (camera pixels: off by default); null turns them off. */
        public Builder previews(PreviewSettings value) {
            this.previews = value;
            return this;
        }

        public Builder cameraRegistry(String topic) {
            this.cameraRegistryTopic = topic;
            return this;
        }

        /** A setting of every consumer; wins over the same key given for every client. */
        public Builder consumerProperty(String key, String value) {
            consumerProperties.setProperty(key, value);
            return this;
        }

        private Properties merged(Properties specific) {
            Properties merged = new Properties();
            merged.putAll(kafkaProperties);
            merged.putAll(specific);
            return merged;
        }

        public PipelineConfig build() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("--bootstrap HOST:PORT is required");
            }
            if (cameras.isEmpty() && jpegTopic == null && cameraRegistryTopic == null) {
                throw new IllegalArgumentException("give cameras: --camera ID=URL, --camera-registry TOPIC or --jpeg-topic TOPIC");
            }
            if (model == null) {
                throw new IllegalArgumentException("a model is required");
            }
            if (!faceCameras.isEmpty() && watchlistTopic == null) {
                throw new IllegalArgumentException("--face-camera needs --watchlist-topic (face matching is off without it)");
            }
            if (parallelism < 1 || checkpointInterval.isNegative() || checkpointInterval.isZero()) {
                throw new IllegalArgumentException("parallelism and checkpoint interval must be positive");
            }
            if (inferenceThreads < 1 || inferenceThreads > io.bitvision.engine.InferenceEngine.MAX_THREADS) {
                throw new IllegalArgumentException("--inference-threads must be 1.." + io.bitvision.engine.InferenceEngine.MAX_THREADS
                        + ", got " + inferenceThreads);
            }
            if (activityBlockFrames < 0 || activityBlockFrames > 0 && (activityTopic == null || activityTopic.isBlank())) {
                throw new IllegalArgumentException("activity counts need a topic and a block of at least 1 frame");
            }
            return new PipelineConfig(bootstrapServers, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cameras)), topics, model, className,
                    checkpointInterval, parallelism, transactionalIdPrefix, merged(producerProperties),
                    maxArenaBytes, minCells, targetFps, stallTimeout, maxReconnectAttempts, jpegTopic,
                    merged(consumerProperties), cameraRegistryTopic, watchlistTopic, faceThreshold,
                    faceCooldownFrames, faceEmbedder, faceDetector, activityTopic, activityBlockFrames,
                    CameraUriPolicy.normalise(cameraSchemes), inferenceThreads, previews,
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cameraModels)),
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(namedModels)),
                    java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(faceCameras)));
        }
    }
}
