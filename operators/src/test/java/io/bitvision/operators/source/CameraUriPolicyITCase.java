package io.bitvision.operators.source;

import io.bitvision.operators.source.CameraRecord.Kind;
import io.bitvision.operators.source.CameraRecord.State;
import io.bitvision.operators.source.testing.PlaylistServer;
import io.bitvision.operators.source.testing.StripPixels;
import io.bitvision.operators.source.testing.TestClips;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Untrusted camera URIs through the real source and real FFmpeg: refused schemes never reach FFmpeg and say why in a
 * FAILED health event; an HLS playlist on loopback that names a local file (or inline data) gets no frame out of it,
 * while the same playlist with its segment over HTTP plays (so the playlists themselves work). FFmpeg's own default
 * whitelists (HTTP: http,https,tls,rtp,tcp,udp,crypto,httpproxy,data; file: file,crypto,data) refuse these too; ours
 * is narrower and set explicitly ({@code GrabberFactoryTest}), so it does not depend on the FFmpeg build.
 */
@Timeout(180)
class CameraUriPolicyITCase {
    private static final int FRAMES = 20;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    static Path dir;
    static Path clip;

    @BeforeAll
    static void writeClip() throws Exception {
        clip = TestClips.mpeg4(dir.resolve("segment.ts"), FRAMES, 96, 64);
    }

    @Test
    void playlistOverHttpPlaysButSegmentsFromFileOrDataAreNotOpened() throws Exception {
        try (PlaylistServer server = new PlaylistServer(clip, FRAMES / 10.0)) {
            List<CameraRecord> records = runUntilSettled(VideoSource.builder()
                    .camera("remote", server.url("/remote.m3u8"))
                    .camera("local", server.url("/local.m3u8"))
                    .camera("inline", server.url("/inline.m3u8")));

            assertThat(frames(records, "remote")).as("the playlist with an HTTP segment plays").isGreaterThan(0);
            assertThat(frames(records, "local")).as("frames read from a file: segment").isZero();
            assertThat(frames(records, "inline")).as("frames read from a data: segment").isZero();
            assertThat(states(records, "local")).contains(State.FAILED);
            assertThat(states(records, "inline")).contains(State.FAILED);
        }
    }

    /** A playlist file given at start may not reach out to the network for its segments. */
    @Test
    void localPlaylistCannotReachTheNetwork() throws Exception {
        try (PlaylistServer server = new PlaylistServer(clip, FRAMES / 10.0)) {
            Path playlist = server.writeLocalPlaylist(dir.resolve("cam.m3u8"), FRAMES / 10.0);
            List<CameraRecord> records = runUntilSettled(VideoSource.builder().camera("local-playlist",
                    playlist.toString()));
            assertThat(frames(records, "local-playlist")).isZero();
            assertThat(states(records, "local-playlist")).contains(State.FAILED);
        }
    }

    @Test
    void refusedSchemesFailWithTheReasonAndNeverOpen() throws Exception {
        String file = clip.toString();
        VideoSource.Builder builder = VideoSource.builder()
                .camera("concat", "concat:" + file + "|" + file)
                .camera("subfile", "subfile,,start,0,end,0,,:" + file)
                .camera("data", "data:video/mp2t;base64,AAAA")
                .camera("ftp", "ftp://127.0.0.1/cam.ts")
                .camera("given-file", file) // the operator's own file: allowed
                .camera("given-replay", "replay:" + file);
        List<CameraRecord> records = runUntilSettled(builder);

        for (String id : List.of("concat", "subfile", "data", "ftp")) {
            assertThat(frames(records, id)).as(id).isZero();
            List<String> reasons = reasons(records, id, State.FAILED);
            assertThat(reasons).as(id).singleElement().asString()
                    .startsWith("refused: camera URI scheme '" + id + "' is not allowed (allowed: http,https,rtsp,rtsps");
            assertThat(states(records, id)).as(id + " never connects").doesNotContain(State.CONNECTING);
        }
        assertThat(frames(records, "given-file")).isEqualTo(FRAMES);
        assertThat(frames(records, "given-replay")).isGreaterThan(0);
    }

    @Test
    void discoveredFileIsRefusedUnlessFileIsAllowed() throws Exception {
        CameraDiscovery registry = () -> List.of(new CameraSpec("registered", clip.toUri().toString(), 0));
        List<CameraRecord> refused = runUntilSettled(VideoSource.builder()
                .discovery(registry, Duration.ofMillis(100)));
        assertThat(frames(refused, "registered")).isZero();
        assertThat(reasons(refused, "registered", State.FAILED)).singleElement().asString()
                .contains("is a local file, which only cameras given to the job at start may be");

        List<CameraRecord> allowed = runUntilSettled(VideoSource.builder()
                .discovery(registry, Duration.ofMillis(100))
                .cameraSchemes(List.of("file")));
        assertThat(frames(allowed, "registered")).isEqualTo(FRAMES);
    }

    /** Runs until every camera is FAILED or ENDED (or has streamed a while, for a looped replay). */
    private static List<CameraRecord> runUntilSettled(VideoSource.Builder builder) throws Exception {
        VideoSource source = builder.maxReconnectAttempts(0)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(50))
                .healthInterval(Duration.ofMillis(200))
                .build();
        Set<String> ids = source.cameras().stream().map(CameraSpec::id).collect(Collectors.toSet());
        if (ids.isEmpty()) {
            ids = Set.of("registered");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<CameraRecord> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (CloseableIterator<CameraRecord> results = env.fromSource(source, WatermarkStrategy.noWatermarks(),
                "cameras").map(new StripPixels()).executeAndCollect()) {
            while (!settled(records, ids) && System.nanoTime() < deadline && results.hasNext()) {
                records.add(results.next());
            }
        }
        assertThat(settled(records, ids)).as("every camera settled: %s", records).isTrue();
        return records;
    }

    private static boolean settled(List<CameraRecord> records, Collection<String> ids) {
        return ids.stream().allMatch(id -> states(records, id).stream().anyMatch(
                s -> s == State.FAILED || s == State.ENDED) || id.endsWith("replay") && frames(records, id) >= 5);
    }

    private static long frames(List<CameraRecord> records, String id) {
        return records.stream().filter(r -> r.cameraId.equals(id) && r.kind == Kind.FRAME).count();
    }

    private static List<State> states(List<CameraRecord> records, String id) {
        return records.stream().filter(r -> r.cameraId.equals(id) && r.kind == Kind.HEALTH).map(r -> r.state)
                .toList();
    }

    private static List<String> reasons(List<CameraRecord> records, String id, State state) {
        return records.stream().filter(r -> r.cameraId.equals(id) && r.kind == Kind.HEALTH && r.state == state)
                .map(r -> r.reason).toList();
    }
}
