package io.bitvision.operators.source;

import io.bitvision.operators.source.enumerator.CameraEnumState;
import io.bitvision.operators.source.enumerator.CameraEnumStateSerializer;
import io.bitvision.operators.source.enumerator.CameraSplitEnumerator;
import io.bitvision.operators.source.reader.CameraSourceReader;
import io.bitvision.operators.source.split.CameraSplit;
import io.bitvision.operators.source.split.CameraSplitSerializer;
import io.bitvision.operators.source.split.InputKind;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Camera streams as a Flink source (FLIP-27): one split per camera, each decoded by FFmpeg (JavaCV) on its own
 * thread into RGB frames, plus health events and dead letters, all as {@link CameraRecord}s.
 *
 * <pre>{@code
 * VideoSource source = VideoSource.builder()
 *         .camera("lobby", "rtsp://10.0.0.7/stream1")
 *         .camera("replay", "/data/vtest.avi", 5.0)      // at most 5 fps
 *         .camera("looped", "replay:/data/vtest.avi")     // the file as a live camera at its own rate, looped
 *         .stallTimeout(Duration.ofSeconds(10))
 *         .reconnectBackoff(Duration.ofMillis(500), Duration.ofSeconds(30))
 *         .maxReconnectAttempts(10)
 *         .build();
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "cameras");
 * }</pre>
 *
 * <p>Bounded when every camera is a file and no {@link CameraDiscovery} is set (a job on files finishes);
 * unbounded otherwise. Files deliver every frame (backpressure, never drop) and restore to the exact next frame;
 * live streams drop to the latest frames when the job lags and resume live after a restore. See
 * {@link CameraSourceReader} for threads and checkpointing and {@link CameraSplitEnumerator} for cameras added
 * while the job runs.
 */
public final class VideoSource implements Source<CameraRecord, CameraSplit, CameraEnumState>,
        ResultTypeQueryable<CameraRecord> {

    private final List<CameraSpec> cameras;
    private final VideoSourceOptions options;
    private final CameraDiscovery discovery;
    private final Duration discoveryInterval;
    private final Boundedness boundedness;

    private VideoSource(List<CameraSpec> cameras, VideoSourceOptions options, CameraDiscovery discovery,
                        Duration discoveryInterval) {
        this.cameras = List.copyOf(cameras);
        this.options = options;
        this.discovery = discovery;
        this.discoveryInterval = discoveryInterval;
        boolean allFiles = cameras.stream().allMatch(c -> InputKind.of(c.uri()) == InputKind.FILE);
        this.boundedness = discovery == null && allFiles ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<CameraSpec> cameras() {
        return cameras;
    }

    public VideoSourceOptions options() {
        return options;
    }

    @Override
    public Boundedness getBoundedness() {
        return boundedness;
    }

    @Override
    public SourceReader<CameraRecord, CameraSplit> createReader(SourceReaderContext readerContext) {
        return new CameraSourceReader(readerContext, options);
    }

    @Override
    public SplitEnumerator<CameraSplit, CameraEnumState> createEnumerator(
            SplitEnumeratorContext<CameraSplit> enumContext) {
        List<CameraSplit> splits = cameras.stream().map(CameraSplit::fresh).toList();
        return new CameraSplitEnumerator(enumContext, boundedness, discovery, discoveryInterval,
                CameraEnumState.of(splits, Set.of()));
    }

    /** Restores the enumerator; cameras configured since the checkpoint (ids it does not know) are added. */
    @Override
    public SplitEnumerator<CameraSplit, CameraEnumState> restoreEnumerator(
            SplitEnumeratorContext<CameraSplit> enumContext, CameraEnumState checkpoint) {
        Set<String> known = new HashSet<>(checkpoint.assignedCameraIds());
        checkpoint.unassigned().forEach(s -> known.add(s.splitId()));
        List<CameraSplit> unassigned = new ArrayList<>(checkpoint.unassigned());
        for (CameraSpec spec : cameras) {
            if (!known.contains(spec.id())) {
                unassigned.add(CameraSplit.fresh(spec));
            }
        }
        return new CameraSplitEnumerator(enumContext, boundedness, discovery, discoveryInterval,
                new CameraEnumState(unassigned, checkpoint.assignedCameraIds()));
    }

    @Override
    public SimpleVersionedSerializer<CameraSplit> getSplitSerializer() {
        return CameraSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<CameraEnumState> getEnumeratorCheckpointSerializer() {
        return new CameraEnumStateSerializer();
    }

    @Override
    public TypeInformation<CameraRecord> getProducedType() {
        return TypeInformation.of(CameraRecord.class);
    }

    /** Builds a {@link VideoSource}; every argument is checked in {@link #build()}. */
    public static final class Builder {
        private static final int AV_LOG_ERROR = 16; // avutil.AV_LOG_ERROR, without loading FFmpeg on the client

        private final Map<String, PendingCamera> cameras = new LinkedHashMap<>();
        private final List<String> duplicateIds = new ArrayList<>();
        private double targetFps = 0;
        private Duration stallTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration ioTimeout;
        private Duration backoffInitial = Duration.ofMillis(500);
        private Duration backoffMax = Duration.ofSeconds(30);
        private int maxReconnectAttempts = 10;
        private int handoffCapacity = 2;
        private Duration healthInterval = Duration.ofSeconds(10);
        private int decoderThreads = 1;
        private int ffmpegLogLevel = AV_LOG_ERROR;
        private CameraDiscovery discovery;
        private Duration discoveryInterval = Duration.ofSeconds(30);
        private List<String> cameraSchemes = CameraUriPolicy.DEFAULT_SCHEMES;

        private record PendingCamera(String id, String uri, Double targetFps, Map<String, String> options) {}

        private Builder() {}

        /** Adds a camera read at the source's {@link #targetFps(double)}. */
        public Builder camera(String id, String uri) {
            return add(new PendingCamera(id, uri, null, Map.of()));
        }

        /** Adds a camera with its own target frame rate (0: every frame). */
        public Builder camera(String id, String uri, double targetFps) {
            return add(new PendingCamera(id, uri, targetFps, Map.of()));
        }

        /** Adds a camera with its own target frame rate and FFmpeg options (e.g. {@code rtsp_transport=udp}). */
        public Builder camera(String id, String uri, double targetFps, Map<String, String> ffmpegOptions) {
            return add(new PendingCamera(id, uri, targetFps, Map.copyOf(ffmpegOptions)));
        }

        /** Adds a fully specified camera. */
        public Builder camera(CameraSpec spec) {
            return add(new PendingCamera(spec.id(), spec.uri(), spec.targetFps(), spec.ffmpegOptions()));
        }

        private Builder add(PendingCamera camera) {
            if (cameras.putIfAbsent(camera.id(), camera) != null) {
                duplicateIds.add(camera.id());
            }
            return this;
        }

        /** Default frames per second to emit at most per camera; 0 (default) emits every frame. */
        public Builder targetFps(double fps) {
            this.targetFps = fps;
            return this;
        }

        /** No frame for this long (while not backpressured) means STALLED and a reconnect. Default 10 s. */
        public Builder stallTimeout(Duration timeout) {
            this.stallTimeout = timeout;
            return this;
        }

        /** Longest time a start (open and probe) may take before it counts as failed. Default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** FFmpeg's {@code rw_timeout}/{@code timeout} for live inputs. Default: stall timeout + 1 s. */
        public Builder ioTimeout(Duration timeout) {
            this.ioTimeout = timeout;
            return this;
        }

        /** Delay before reconnect attempt k: initial * 2^(k-1), at most max. Default 500 ms .. 30 s. */
        public Builder reconnectBackoff(Duration initial, Duration max) {
            this.backoffInitial = initial;
            this.backoffMax = max;
            return this;
        }

        /** Failed reconnect attempts in a row before FAILED (0: fail at the first error). Default 10. */
        public Builder maxReconnectAttempts(int attempts) {
            this.maxReconnectAttempts = attempts;
            return this;
        }

        /** Frames buffered per camera between its decoder and the job. Default 2. */
        public Builder handoffCapacity(int frames) {
            this.handoffCapacity = frames;
            return this;
        }

        /** Period of STREAMING heartbeats with counters; {@link Duration#ZERO} for transitions only. Default 10 s. */
        public Builder healthInterval(Duration interval) {
            this.healthInterval = interval;
            return this;
        }

        /** FFmpeg decoder threads per camera (0: FFmpeg decides). Default 1: cameras are the parallelism. */
        public Builder decoderThreads(int threads) {
            this.decoderThreads = threads;
            return this;
        }

        /**
         * FFmpeg's log level (JVM-wide, {@code AV_LOG_*}), set when a reader starts; default {@code AV_LOG_ERROR}.
         * {@link VideoSourceOptions#KEEP_LOG_LEVEL} leaves it alone.
         */
        public Builder ffmpegLogLevel(int level) {
            this.ffmpegLogLevel = level;
            return this;
        }

        /** Polls {@code discovery} every {@code interval} for new cameras; makes the source unbounded. */
        public Builder discovery(CameraDiscovery discovery, Duration interval) {
            this.discovery = discovery;
            this.discoveryInterval = interval;
            return this;
        }

        /**
         * URI schemes any camera may use (default {@link CameraUriPolicy#DEFAULT_SCHEMES}: rtsp, rtsps, http,
         * https). Cameras added to this builder may also be local files; discovered ones only when {@code file} is
         * listed. A camera with another scheme is not opened and gets a FAILED health event saying why.
         */
        public Builder cameraSchemes(Collection<String> schemes) {
            this.cameraSchemes = List.copyOf(schemes);
            return this;
        }

        public VideoSource build() {
            if (!duplicateIds.isEmpty()) {
                throw new IllegalArgumentException("Duplicate camera ids: " + duplicateIds);
            }
            if (cameras.isEmpty() && discovery == null) {
                throw new IllegalArgumentException("No cameras: add at least one camera or a discovery");
            }
            requireFps(targetFps, "targetFps");
            requirePositive(stallTimeout, "stallTimeout");
            requirePositive(connectTimeout, "connectTimeout");
            requirePositive(backoffInitial, "reconnectBackoff initial");
            requirePositive(backoffMax, "reconnectBackoff max");
            if (backoffMax.compareTo(backoffInitial) < 0) {
                throw new IllegalArgumentException("reconnectBackoff max " + backoffMax + " < initial "
                        + backoffInitial);
            }
            if (maxReconnectAttempts < 0) {
                throw new IllegalArgumentException("maxReconnectAttempts must be >= 0, got " + maxReconnectAttempts);
            }
            if (handoffCapacity < 1) {
                throw new IllegalArgumentException("handoffCapacity must be >= 1, got " + handoffCapacity);
            }
            Objects.requireNonNull(healthInterval, "healthInterval");
            if (healthInterval.isNegative()) {
                throw new IllegalArgumentException("healthInterval must be >= 0, got " + healthInterval);
            }
            if (decoderThreads < 0) {
                throw new IllegalArgumentException("decoderThreads must be >= 0, got " + decoderThreads);
            }
            Duration io = ioTimeout != null ? ioTimeout : stallTimeout.plusSeconds(1);
            requirePositive(io, "ioTimeout");
            if (discovery != null) {
                requirePositive(discoveryInterval, "discovery interval");
            }
            List<CameraSpec> specs = new ArrayList<>();
            for (PendingCamera c : cameras.values()) {
                specs.add(new CameraSpec(c.id(), c.uri(), c.targetFps() != null ? c.targetFps() : targetFps,
                        c.options()));
            }
            VideoSourceOptions options = new VideoSourceOptions(stallTimeout, connectTimeout, io, backoffInitial,
                    backoffMax, maxReconnectAttempts, handoffCapacity, healthInterval, decoderThreads,
                    ffmpegLogLevel, CameraUriPolicy.of(cameraSchemes, specs));
            return new VideoSource(specs, options, discovery, discoveryInterval);
        }

        private static void requirePositive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
        }

        private static void requireFps(double fps, String name) {
            if (!(fps >= 0) || Double.isInfinite(fps)) {
                throw new IllegalArgumentException(name + " must be >= 0, got " + fps);
            }
        }
    }
}
