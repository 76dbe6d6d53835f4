package io.bitvision.operators.source;

import io.bitvision.operators.source.CameraRecord.ErrorType;
import io.bitvision.operators.source.CameraRecord.Kind;
import io.bitvision.operators.source.CameraRecord.State;
import io.bitvision.testkit.faults.BadCameraServer;
import io.bitvision.operators.source.testing.StripPixels;
import io.bitvision.operators.source.testing.TestClips;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The source in real Flink jobs (MiniCluster) on real video through real FFmpeg. */
@Timeout(180)
class VideoSourceITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(4)
                    .build());

    private static StreamExecutionEnvironment env(int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.getConfig().enableObjectReuse();
        return env;
    }

    private static CloseableIterator<CameraRecord> run(StreamExecutionEnvironment env, VideoSource source)
            throws Exception {
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "cameras")
                .map(new StripPixels())
                .executeAndCollect();
    }

    /** Collects until {@code done} holds (then cancels the job by closing) or the job ends. */
    private static List<CameraRecord> collect(CloseableIterator<CameraRecord> results,
                                              Predicate<List<CameraRecord>> done, Duration timeout)
            throws Exception {
        List<CameraRecord> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (results) {
            while (!done.test(records) && results.hasNext()) {
                records.add(results.next());
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("not done after " + timeout + ": " + summary(records));
                }
            }
        }
        return records;
    }

    private static List<CameraRecord> of(List<CameraRecord> records, String cameraId, Kind kind) {
        return records.stream().filter(r -> r.cameraId.equals(cameraId) && r.kind == kind).toList();
    }

    private static List<CameraRecord> health(List<CameraRecord> records, String cameraId, State state) {
        return of(records, cameraId, Kind.HEALTH).stream().filter(r -> r.state == state).toList();
    }

    private static boolean has(List<CameraRecord> records, String cameraId, State state) {
        return !health(records, cameraId, state).isEmpty();
    }

    private static List<Long> seqs(List<CameraRecord> frames) {
        return frames.stream().map(r -> r.frameSeq).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    private static String summary(List<CameraRecord> records) {
        return records.stream().filter(r -> r.kind != Kind.FRAME).map(CameraRecord::toString).toList()
                + " and " + records.stream().filter(r -> r.kind == Kind.FRAME).count() + " frames";
    }

    @Test
    void vtestYieldsEveryFrameInOrder() throws Exception {
        VideoSource source = VideoSource.builder().camera("vtest", TestClips.VTEST.toString())
                .healthInterval(Duration.ZERO).build();
        List<CameraRecord> records = collect(run(env(1), source), r -> false, Duration.ofSeconds(90));

        List<CameraRecord> frames = of(records, "vtest", Kind.FRAME);
        assertThat(frames).hasSize(TestClips.VTEST_FRAMES);
        assertThat(seqs(frames)).containsExactlyElementsOf(range(0, TestClips.VTEST_FRAMES));
        assertThat(frames).allSatisfy(f -> {
            assertThat(f.width).isEqualTo(768);
            assertThat(f.height).isEqualTo(576);
            assertThat(f.droppedSinceLast).isZero();
            assertThat(f.ptsUs).isEqualTo(f.frameSeq * 100_000L);
            assertThat(f.captureTimeSource).isEqualTo(CameraRecord.CaptureTimeSource.STREAM_PTS);
        });
        assertThat(of(records, "vtest", Kind.HEALTH)).extracting(r -> r.state)
                .containsExactly(State.CONNECTING, State.STREAMING, State.ENDED);
        assertThat(of(records, "vtest", Kind.DEAD_LETTER)).isEmpty();
    }

    @Test
    void truncatedFileDeadLettersAndEndsWhileAnotherCameraDeliversEverything(@TempDir Path dir) throws Exception {
        Path clip = TestClips.mpeg4(dir.resolve("clip.avi"), 40, 160, 120);
        Path truncated = TestClips.truncatedCopy(clip, dir.resolve("truncated.avi"), 0.6);
        VideoSource source = VideoSource.builder()
                .camera("whole", clip.toUri().toString()) // file:// URI
                .camera("truncated", truncated.toString())
                .build();
        List<CameraRecord> records = collect(run(env(2), source), r -> false, Duration.ofSeconds(60));

        assertThat(seqs(of(records, "whole", Kind.FRAME))).containsExactlyElementsOf(range(0, 40));
        assertThat(has(records, "whole", State.ENDED)).isTrue();

        List<CameraRecord> deadLetters = of(records, "truncated", Kind.DEAD_LETTER);
        assertThat(deadLetters).extracting(r -> r.errorType).contains(ErrorType.TRUNCATED);
        CameraRecord truncation = deadLetters.stream().filter(r -> r.errorType == ErrorType.TRUNCATED)
                .findFirst().orElseThrow();
        assertThat(truncation.sourceUri).isEqualTo(truncated.toString());
        assertThat(truncation.reason).contains("of 40 frames");
        assertThat(truncation.position).isBetween(1L, 39L);
        assertThat(has(records, "truncated", State.ENDED)).isTrue();
        List<CameraRecord> truncatedFrames = of(records, "truncated", Kind.FRAME);
        assertThat(truncatedFrames).isNotEmpty().allMatch(f -> f.frameSeq < truncation.position);
    }

    @Test
    void deadCamerasReconnectWithBackoffThenFailWithoutBlockingAFileCamera(@TempDir Path dir) throws Exception {
        Path clip = TestClips.mpeg4(dir.resolve("clip.avi"), 40, 160, 120);
        try (BadCameraServer server = new BadCameraServer(new byte[0], 0)) {
            VideoSource source = VideoSource.builder()
                    .camera("refused", BadCameraServer.closedPortUrl())
                    .camera("hang", server.url("/hang"))
                    .camera("file", clip.toString())
                    .connectTimeout(Duration.ofSeconds(1))
                    .stallTimeout(Duration.ofSeconds(1))
                    .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(400))
                    .maxReconnectAttempts(3)
                    .healthInterval(Duration.ofMillis(200))
                    .build();
            long start = System.currentTimeMillis();
            List<CameraRecord> records = collect(run(env(1), source),
                    r -> has(r, "refused", State.FAILED) && has(r, "file", State.ENDED)
                            && has(r, "hang", State.RECONNECTING),
                    Duration.ofSeconds(60));

            List<CameraRecord> refused = of(records, "refused", Kind.HEALTH);
            assertThat(refused).extracting(r -> r.state).containsExactly(State.CONNECTING, State.RECONNECTING,
                    State.RECONNECTING, State.RECONNECTING, State.FAILED);
            assertThat(health(records, "refused", State.RECONNECTING)).extracting(r -> r.reconnectAttempts)
                    .containsExactly(1, 2, 3);
            CameraRecord failed = health(records, "refused", State.FAILED).get(0);
            assertThat(failed.reason).contains("gave up after 3 reconnect attempts");
            // Backoff 100 + 200 + 400 ms plus four refused connections: well under the bound.
            assertThat(failed.ingestTimeMs - start).isLessThan(15_000);

            assertThat(seqs(of(records, "file", Kind.FRAME))).containsExactlyElementsOf(range(0, 40));
            assertThat(health(records, "hang", State.RECONNECTING).get(0).reason).contains("start timed out");
            assertThat(has(records, "hang", State.STREAMING)).isFalse();
        }
    }

    @Test
    void stalledCameraIsDetectedAndReconnected(@TempDir Path dir) throws Exception {
        byte[] clip = Files.readAllBytes(TestClips.mpeg4(dir.resolve("clip.ts"), 100, 160, 120));
        Duration stallTimeout = Duration.ofSeconds(1);
        try (BadCameraServer server = new BadCameraServer(clip, 0.5)) {
            VideoSource source = VideoSource.builder()
                    .camera("stalling", server.url("/stall"))
                    .stallTimeout(stallTimeout)
                    .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(400))
                    .healthInterval(Duration.ofMillis(200))
                    .build();
            List<CameraRecord> records = collect(run(env(1), source),
                    r -> health(r, "stalling", State.STREAMING).stream().anyMatch(h -> h.reason.startsWith("opened"))
                            && has(r, "stalling", State.RECONNECTING)
                            && health(r, "stalling", State.STREAMING).stream()
                                    .filter(h -> h.reason.startsWith("opened")).count() >= 2,
                    Duration.ofSeconds(60));

            int stalledAt = records.indexOf(health(records, "stalling", State.STALLED).get(0));
            List<CameraRecord> framesBefore = of(records.subList(0, stalledAt), "stalling", Kind.FRAME);
            assertThat(framesBefore).isNotEmpty();
            assertGapsAreDrops(framesBefore);
            long silence = records.get(stalledAt).ingestTimeMs - framesBefore.get(framesBefore.size() - 1).ingestTimeMs;
            assertThat(silence).isBetween(stallTimeout.toMillis() - 100, stallTimeout.toMillis() + 1_500);
            assertThat(records.get(stalledAt + 1).state).isEqualTo(State.RECONNECTING);
            assertThat(records.get(stalledAt + 1).reconnectAttempts).isEqualTo(1);
            assertThat(server.stallRequests()).isGreaterThanOrEqualTo(2);
            // Frame numbers continue over the reconnect.
            List<CameraRecord> frames = of(records, "stalling", Kind.FRAME);
            assertThat(seqs(frames)).doesNotHaveDuplicates().isSorted();
        }
    }

    /** A live camera may drop to the latest frames: every gap in frameSeq is reported as droppedSinceLast. */
    /**
     * A real RTSP camera in another process (GStreamer's RTSP server, Debian packages python3-gi,
     * gir1.2-gst-rtsp-server-1.0, gstreamer1.0-plugins-good): frames arrive; when the server dies the camera
     * is reported and reconnection starts.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 150, unit = java.util.concurrent.TimeUnit.SECONDS,
            threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void rtspCameraStreamsAndIsReportedWhenItDies(@TempDir Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        java.nio.file.Path script = java.nio.file.Path.of("src/test/resources/rtsp/serve_test_pattern.py").toAbsolutePath();
        // Output to a file: a pipe nobody drains would fill up and stall the server's main loop.
        java.nio.file.Path log = dir.resolve("rtsp-server.log");
        Process server = new ProcessBuilder("/usr/bin/python3", script.toString(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // Gives up early when the server exits (missing GStreamer packages); the assertion below says which.
            org.awaitility.Awaitility.await("the RTSP test server").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100)).pollDelay(Duration.ZERO)
                    .until(() -> java.nio.file.Files.readString(log).contains("rtsp server ready") || !server.isAlive());
            assertThat(java.nio.file.Files.readString(log))
                    .as("RTSP test server (apt-get install python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-good)")
                    .contains("rtsp server ready");
            VideoSource source = VideoSource.builder()
                    .camera("rtsp", "rtsp://127.0.0.1:" + port + "/cam")
                    .connectTimeout(Duration.ofSeconds(5))
                    .stallTimeout(Duration.ofSeconds(2))
                    .reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
                    .maxReconnectAttempts(3)
                    .build();
            List<CameraRecord> records = collect(run(env(1), source), r -> {
                if (of(r, "rtsp", Kind.FRAME).size() == 20) {
                    server.destroyForcibly();
                }
                return of(r, "rtsp", Kind.FRAME).size() >= 20
                        && (has(r, "rtsp", State.STALLED) || has(r, "rtsp", State.RECONNECTING));
            }, Duration.ofSeconds(90));
            List<CameraRecord> frames = of(records, "rtsp", Kind.FRAME);
            assertThat(frames.get(0).width).isEqualTo(320);
            assertThat(frames.get(0).height).isEqualTo(240);
            assertGapsAreDrops(frames);
            assertThat(has(records, "rtsp", State.STREAMING)).isTrue();
        } finally {
            server.destroyForcibly();
        }
    }

    private static void assertGapsAreDrops(List<CameraRecord> frames) {
        long previous = -1;
        for (CameraRecord frame : frames) {
            assertThat(frame.frameSeq - previous - 1).as("gap before %s", frame).isEqualTo(frame.droppedSinceLast);
            previous = frame.frameSeq;
        }
    }

    /** Cameras added while the job runs, through a discovery the enumerator polls. */
    @Test
    void discoveredCameraJoinsARunningJob(@TempDir Path dir) throws Exception {
        Path first = TestClips.mpeg4(dir.resolve("first.avi"), 20, 96, 64);
        Path late = TestClips.mpeg4(dir.resolve("late.avi"), 30, 96, 64);
        VideoSource source = VideoSource.builder()
                .camera("first", first.toString())
                .discovery(new AppearsLater(new CameraSpec("late", late.toString(), 0), 3), Duration.ofMillis(200))
                .cameraSchemes(List.of("file")) // discovered cameras may be files only when the operator says so
                .healthInterval(Duration.ofMillis(200)) // records keep coming, so the deadline is checked
                .build();
        assertThat(source.getBoundedness()).isEqualTo(org.apache.flink.api.connector.source.Boundedness
                .CONTINUOUS_UNBOUNDED);
        List<CameraRecord> records = collect(run(env(2), source),
                r -> has(r, "first", State.ENDED) && has(r, "late", State.ENDED), Duration.ofSeconds(60));
        assertThat(seqs(of(records, "first", Kind.FRAME))).containsExactlyElementsOf(range(0, 20));
        assertThat(seqs(of(records, "late", Kind.FRAME))).containsExactlyElementsOf(range(0, 30));
    }

    /** A discovery that lists one more camera from its {@code afterCalls}-th call on. */
    private static final class AppearsLater implements CameraDiscovery {
        private final CameraSpec camera;
        private final int afterCalls;
        private int calls;

        AppearsLater(CameraSpec camera, int afterCalls) {
            this.camera = camera;
            this.afterCalls = afterCalls;
        }

        @Override
        public Collection<CameraSpec> discover() {
            return ++calls >= afterCalls ? List.of(camera) : List.of();
        }
    }

    private static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();
    private static final AtomicInteger CHECKPOINTS_AFTER_FIRST_FRAME = new AtomicInteger();
    private static final AtomicInteger FRAME_ZERO_SEEN = new AtomicInteger();

    /**
     * Failover: the job fails once after a checkpoint completed; the restored reader resumes the file at the
     * checkpointed frame, so with the checkpoint-aware collect sink every frame arrives exactly once and frame 0
     * is never decoded again.
     */
    @Test
    void restoreAfterFailureResumesTheFileExactlyOnce() throws Exception {
        FAILED_ONCE.set(false);
        CHECKPOINTS_AFTER_FIRST_FRAME.set(0);
        FRAME_ZERO_SEEN.set(0);
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(1);
        env.enableCheckpointing(100);
        VideoSource source = VideoSource.builder().camera("vtest", TestClips.VTEST.toString()).build();
        List<CameraRecord> records = collect(env.fromSource(source, WatermarkStrategy.noWatermarks(), "cameras")
                .map(new StripPixels())
                .map(new FailOnceAfterCheckpoint())
                .executeAndCollect(), r -> false, Duration.ofSeconds(100));

        assertThat(FAILED_ONCE).isTrue();
        assertThat(FRAME_ZERO_SEEN).hasValue(1);
        assertThat(seqs(of(records, "vtest", Kind.FRAME))).containsExactlyElementsOf(range(0, TestClips.VTEST_FRAMES));
    }

    /**
     * Slows frames down a little and throws once, on the first frame after the second checkpoint that completed
     * after frame 0 went through (so the restored checkpoint surely lies past frame 0).
     */
    private static final class FailOnceAfterCheckpoint implements MapFunction<CameraRecord, CameraRecord>,
            CheckpointListener {
        @Override
        public CameraRecord map(CameraRecord record) throws Exception {
            if (record.kind == Kind.FRAME) {
                if (record.frameSeq == 0) {
                    FRAME_ZERO_SEEN.incrementAndGet();
                }
                if (!FAILED_ONCE.get()) {
                    Thread.sleep(2);
                    if (CHECKPOINTS_AFTER_FIRST_FRAME.get() >= 2) {
                        FAILED_ONCE.set(true);
                        throw new IllegalStateException("planned failure at frame " + record.frameSeq);
                    }
                }
            }
            return record;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (FRAME_ZERO_SEEN.get() > 0) {
                CHECKPOINTS_AFTER_FIRST_FRAME.incrementAndGet();
            }
        }
    }
}
