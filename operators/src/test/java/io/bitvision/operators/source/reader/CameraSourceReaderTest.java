package io.bitvision.operators.source.reader;

import io.bitvision.operators.source.CameraRecord;
import io.bitvision.operators.source.CameraRecord.Kind;
import io.bitvision.operators.source.CameraRecord.State;
import io.bitvision.operators.source.CameraSpec;
import io.bitvision.operators.source.VideoSource;
import io.bitvision.operators.source.VideoSourceOptions;
import io.bitvision.operators.source.split.CameraSplit;
import io.bitvision.testkit.faults.BadCameraServer;
import io.bitvision.operators.source.testing.ReaderDriver;
import io.bitvision.operators.source.testing.RecordingMetricGroup;
import io.bitvision.operators.source.testing.TestClips;
import io.bitvision.operators.source.testing.TestingReaderContext;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The reader on its own (no MiniCluster), driven like Flink's source operator drives it. */
class CameraSourceReaderTest {

    private static VideoSourceOptions options(VideoSource.Builder builder) {
        return builder.build().options();
    }

    private static VideoSource.Builder builder() {
        // Splits are handed to the reader directly, not given to the builder: allow files for all of them.
        return VideoSource.builder().camera("unused", "unused.avi").healthInterval(Duration.ZERO)
                .cameraSchemes(java.util.List.of("file", "http", "https", "rtsp", "rtsps"));
    }

    private static List<CameraRecord> frames(List<CameraRecord> records) {
        return records.stream().filter(r -> r.kind == Kind.FRAME).toList();
    }

    private static boolean hasState(List<CameraRecord> records, State state) {
        return records.stream().anyMatch(r -> r.kind == Kind.HEALTH && r.state == state);
    }

    @Test
    void restoredFileSplitEmitsTheExactNextFrame() throws Exception {
        CameraSplit restored = new CameraSplit(new CameraSpec("vtest", TestClips.VTEST.toString(), 0), 100);
        List<CameraRecord> records;
        try (CameraSourceReader reader = new CameraSourceReader(new TestingReaderContext(), options(builder()))) {
            reader.start();
            reader.addSplits(List.of(restored));
            reader.notifyNoMoreSplits();
            records = ReaderDriver.drain(reader, r -> false, Duration.ofSeconds(60), Duration.ZERO);
            assertThat(reader.snapshotState(1)).isEmpty(); // the file ended: nothing left to restore
        }
        List<CameraRecord> frames = frames(records);
        assertThat(frames.get(0).frameSeq).isEqualTo(100);
        assertThat(frames).extracting(r -> r.frameSeq)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(100, TestClips.VTEST_FRAMES)
                        .boxed().toList());
        assertThat(frames.get(0).ptsUs).isEqualTo(10_000_000L); // frame 100 at 10 fps
        assertThat(frames.get(0).rgb).isEqualTo(decodeFrame(TestClips.VTEST, 100));
        assertThat(records.get(records.size() - 1).state).isEqualTo(State.ENDED);
    }

    @Test
    void snapshotTracksEmittedFramesOnly() throws Exception {
        CameraSplit split = CameraSplit.fresh(new CameraSpec("vtest", TestClips.VTEST.toString(), 0));
        try (CameraSourceReader reader = new CameraSourceReader(new TestingReaderContext(), options(builder()))) {
            reader.start();
            reader.addSplits(List.of(split));
            List<CameraRecord> records = ReaderDriver.drain(reader, r -> frames(r).size() == 10,
                    Duration.ofSeconds(30), Duration.ZERO);
            Thread.sleep(200); // the decoder runs ahead into the hand-off meanwhile
            assertThat(frames(records)).hasSize(10);
            assertThat(reader.snapshotState(1)).containsExactly(split.withNextSeq(10));
        }
    }

    @Test
    void fileCameraWaitsForASlowJobInsteadOfDroppingOrStalling(@TempDir Path dir) throws Exception {
        Path clip = TestClips.mpeg4(dir.resolve("clip.avi"), 30, 64, 48);
        VideoSourceOptions options = options(builder().stallTimeout(Duration.ofMillis(300)).handoffCapacity(2));
        try (CameraSourceReader reader = new CameraSourceReader(new TestingReaderContext(), options)) {
            reader.start();
            reader.addSplits(List.of(CameraSplit.fresh(new CameraSpec("clip", clip.toString(), 0))));
            reader.notifyNoMoreSplits();
            List<CameraRecord> head = ReaderDriver.drain(reader, r -> frames(r).size() == 5,
                    Duration.ofSeconds(30), Duration.ZERO);
            Thread.sleep(1_000); // job stops reading for > 3 stall timeouts: backpressure, not a stall
            List<CameraRecord> tail = ReaderDriver.drain(reader, r -> false, Duration.ofSeconds(30),
                    Duration.ofMillis(5));
            List<CameraRecord> all = new java.util.ArrayList<>(head);
            all.addAll(tail);
            assertThat(frames(all)).extracting(r -> r.frameSeq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 30).boxed().toList());
            assertThat(frames(all)).allMatch(r -> r.droppedSinceLast == 0);
            assertThat(hasState(all, State.STALLED)).isFalse();
            assertThat(all.get(all.size() - 1).state).isEqualTo(State.ENDED);
        }
    }

    @Test
    void liveCameraDropsToLatestWhenTheJobLags(@TempDir Path dir) throws Exception {
        byte[] clip = Files.readAllBytes(TestClips.mpeg4(dir.resolve("clip.ts"), 60, 64, 48));
        VideoSourceOptions options = options(builder().handoffCapacity(2).maxReconnectAttempts(0));
        TestingReaderContext context = new TestingReaderContext();
        try (BadCameraServer server = new BadCameraServer(clip, 1.0);
             CameraSourceReader reader = new CameraSourceReader(context, options)) {
            reader.start();
            reader.addSplits(List.of(CameraSplit.fresh(new CameraSpec("live", server.url("/full"), 0))));
            reader.notifyNoMoreSplits();
            // The stream ends after 60 frames; with no reconnect attempts left the camera FAILS.
            List<CameraRecord> records = ReaderDriver.drain(reader, r -> hasState(r, State.FAILED),
                    Duration.ofSeconds(30), Duration.ofMillis(20));
            List<CameraRecord> frames = frames(records);
            CameraRecord failed = records.get(records.size() - 1);
            assertThat(failed.state).isEqualTo(State.FAILED);
            assertThat(failed.framesDecoded).isEqualTo(60);
            assertThat(failed.framesDropped).isPositive();
            assertThat(frames.get(0).frameSeq).isEqualTo(frames.get(0).droppedSinceLast);
            int dropped = frames.get(0).droppedSinceLast;
            for (int i = 1; i < frames.size(); i++) {
                CameraRecord prev = frames.get(i - 1);
                CameraRecord cur = frames.get(i);
                assertThat(cur.frameSeq - prev.frameSeq - 1).as("gap before %s", cur)
                        .isEqualTo(cur.droppedSinceLast);
                dropped += cur.droppedSinceLast;
            }
            // Only the oldest frame is ever dropped, so a later frame always reports it.
            assertThat(dropped).isEqualTo((int) failed.framesDropped);
            assertThat(frames.size() + failed.framesDropped).isEqualTo(60);
            RecordingMetricGroup metrics = context.metricGroup();
            assertThat(metrics.count("camera.live.framesDropped")).isEqualTo(failed.framesDropped);
            assertThat(metrics.count("camera.live.framesDecoded")).isEqualTo(60);
            assertThat(metrics.count("camera.live.reconnects")).isZero();
            assertThat(metrics.gaugeValue("camera.live.state")).isEqualTo(State.FAILED.ordinal());
            // A failed live camera stays in the state, to be retried after a restore.
            assertThat(reader.snapshotState(1)).extracting(CameraSplit::splitId).containsExactly("live");
        }
    }

    @Test
    void replayCameraPlaysAFileAtItsFrameRateAndLoopsItAsOneLiveStream(@TempDir Path dir) throws Exception {
        Path clip = TestClips.mpeg4(dir.resolve("clip.avi"), 10, 64, 48); // 10 frames at 10 fps: 1 s per loop
        VideoSourceOptions options = options(builder());
        List<CameraRecord> records;
        try (CameraSourceReader reader = new CameraSourceReader(new TestingReaderContext(), options)) {
            reader.start();
            reader.addSplits(List.of(CameraSplit.fresh(new CameraSpec("replay", "replay:" + clip, 0))));
            reader.notifyNoMoreSplits();
            records = ReaderDriver.drain(reader, r -> frames(r).size() == 25, Duration.ofSeconds(30), Duration.ZERO);
            assertThat(reader.snapshotState(1)).extracting(CameraSplit::splitId).containsExactly("replay"); // live
        }
        List<CameraRecord> frames = frames(records);
        assertThat(frames).extracting(r -> r.frameSeq)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 25).boxed().toList());
        assertThat(frames).allMatch(r -> r.droppedSinceLast == 0);
        for (int i = 1; i < frames.size(); i++) { // one timeline across the loops, one frame period apart
            assertThat(frames.get(i).ptsUs - frames.get(i - 1).ptsUs).as("pts step before frame %d", i)
                    .isEqualTo(100_000L);
        }
        // Paced: 24 frame periods of 100 ms between the first and the 25th frame, not as fast as FFmpeg decodes.
        long spanMs = frames.get(24).ingestTimeMs - frames.get(0).ingestTimeMs;
        assertThat(spanMs).isBetween(2_300L, 3_200L);
        assertThat(frames.get(10).rgb).isEqualTo(frames.get(0).rgb); // the second loop starts at the first frame
        assertThat(frames.get(23).rgb).isEqualTo(frames.get(3).rgb);
        assertThat(frames).allMatch(r -> r.captureTimeSource == CameraRecord.CaptureTimeSource.STREAM_PTS);
        assertThat(hasState(records, State.ENDED) || hasState(records, State.RECONNECTING)).isFalse();
    }

    @Test
    void targetFpsDecimatesTheSameFramesAfterARestore(@TempDir Path dir) throws Exception {
        Path clip = TestClips.mpeg4(dir.resolve("clip.avi"), 40, 64, 48); // 10 fps
        VideoSourceOptions options = options(builder());
        CameraSpec spec = new CameraSpec("clip", clip.toString(), 5);
        for (long from : new long[] {0, 7}) {
            try (CameraSourceReader reader = new CameraSourceReader(new TestingReaderContext(), options)) {
                reader.start();
                reader.addSplits(List.of(new CameraSplit(spec, from)));
                reader.notifyNoMoreSplits();
                List<CameraRecord> frames = frames(ReaderDriver.drain(reader, r -> false, Duration.ofSeconds(30),
                        Duration.ZERO));
                assertThat(frames).extracting(r -> r.frameSeq).containsExactlyElementsOf(
                        java.util.stream.LongStream.range(from, 40).filter(i -> i % 2 == 0).boxed().toList());
            }
        }
    }

    @Test
    void missingFileIsADeadLetterAndFailsAtOnce() throws Exception {
        VideoSourceOptions options = options(builder());
        try (CameraSourceReader reader = new CameraSourceReader(new TestingReaderContext(), options)) {
            reader.start();
            reader.addSplits(List.of(CameraSplit.fresh(new CameraSpec("gone", "/nonexistent/clip.avi", 0))));
            reader.notifyNoMoreSplits();
            List<CameraRecord> records = ReaderDriver.drain(reader, r -> false, Duration.ofSeconds(10),
                    Duration.ZERO);
            assertThat(records).extracting(r -> r.kind).containsExactly(Kind.HEALTH, Kind.DEAD_LETTER, Kind.HEALTH);
            assertThat(records.get(1).errorType).isEqualTo(CameraRecord.ErrorType.OPEN_FAILED);
            assertThat(records.get(1).sourceUri).isEqualTo("/nonexistent/clip.avi");
            assertThat(records.get(1).position).isZero();
            assertThat(records.get(2).state).isEqualTo(State.FAILED);
            assertThat(reader.snapshotState(1)).isEmpty();
        }
    }

    @Test
    void stalledLiveCameraRaisesTheStalledGaugeAndReconnects(@TempDir Path dir) throws Exception {
        byte[] clip = Files.readAllBytes(TestClips.mpeg4(dir.resolve("clip.ts"), 60, 64, 48));
        VideoSourceOptions options = options(builder().stallTimeout(Duration.ofMillis(500))
                .reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(2)));
        TestingReaderContext context = new TestingReaderContext();
        try (BadCameraServer server = new BadCameraServer(clip, 0.5);
             CameraSourceReader reader = new CameraSourceReader(context, options)) {
            reader.start();
            reader.addSplits(List.of(CameraSplit.fresh(new CameraSpec("cam", server.url("/stall"), 0))));
            List<CameraRecord> records = ReaderDriver.drain(reader, r -> hasState(r, State.RECONNECTING),
                    Duration.ofSeconds(30), Duration.ZERO);
            RecordingMetricGroup metrics = context.metricGroup();
            assertThat(frames(records)).isNotEmpty();
            assertThat(records.get(records.size() - 2).state).isEqualTo(State.STALLED);
            assertThat(metrics.gaugeValue("camera.cam.stalled")).isEqualTo(1);
            assertThat(metrics.count("camera.cam.reconnects")).isEqualTo(1);
            assertThat(metrics.count("camera.cam.framesDecoded"))
                    .isEqualTo(frames(records).size() + metrics.count("camera.cam.framesDropped"));
            assertThat(metrics.gaugeValue("camera.cam.decodeFps")).isInstanceOf(Double.class);
            assertThat(metrics.gaugeValue("camera.cam.state")).isEqualTo(State.RECONNECTING.ordinal());
        }
    }

    /** Decode rate of vtest.avi to RGB byte arrays through the reader (decoder thread + hand-off + task thread). */
    @Test
    void decodesVtestToRgbFast() throws Exception {
        CameraSplit split = CameraSplit.fresh(new CameraSpec("vtest", TestClips.VTEST.toString(), 0));
        try (CameraSourceReader reader = new CameraSourceReader(new TestingReaderContext(), options(builder()))) {
            reader.start();
            reader.addSplits(List.of(split));
            reader.notifyNoMoreSplits();
            // Time from the first frame on: leaves out loading FFmpeg and opening the file.
            List<CameraRecord> records = ReaderDriver.drain(reader, r -> frames(r).size() == 1,
                    Duration.ofSeconds(60), Duration.ZERO);
            long start = System.nanoTime();
            records = ReaderDriver.drain(reader, r -> false, Duration.ofSeconds(60), Duration.ZERO);
            double seconds = (System.nanoTime() - start) / 1e9;
            int frames = frames(records).size() + 1;
            System.out.printf("vtest.avi through CameraSourceReader: %d frames 768x576 RGB in %.3f s = %.0f fps%n",
                    frames, seconds, frames / seconds);
            assertThat(frames).isEqualTo(TestClips.VTEST_FRAMES);
            assertThat(frames / seconds).isGreaterThan(100);
        }
    }

    /** Frame {@code index} of a file decoded from the start, as tight RGB. */
    static byte[] decodeFrame(Path file, int index) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toString())) {
            grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            grabber.start();
            for (int i = 0; i < index; i++) {
                grabber.grabFrame(false, true, false, false, false);
            }
            Frame frame = grabber.grabFrame(false, true, true, false, false);
            return RgbFrames.copy(frame);
        }
    }
}
