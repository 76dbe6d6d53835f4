package io.bitvision.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.testkit.clips.VideoClip;
import io.bitvision.testkit.clips.SampleVideo;
import io.bitvision.testkit.faults.BadCameraServer;
import io.bitvision.testkit.faults.LiveClipServer;
import io.bitvision.testkit.faults.TransportStreamClip;
import io.bitvision.testkit.audit.CommittedRecords;
import io.bitvision.testkit.audit.HealthEvents;
import io.bitvision.testkit.audit.MaskAudit;
import io.bitvision.operators.inference.DarkRegionsModel;
import io.bitvision.operators.inference.ModelRef;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.CameraState;
import io.bitvision.schemas.FrameMasks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One job, four cameras, three of them faulty the ways cameras in the field are: a live HTTP camera that goes away
 * mid-stream and comes back on the same address once it is reported, one that accepts the connection and never answers, and one that
 * streams garbage. Each must be reported on the health topic for what it is, none may produce a mask record it should
 * not, the returning camera must be picked up again with its frame numbers going on, and the healthy file camera must
 * get every frame exactly once. (Whether the healthy cameras keep their frame rate is measured by
 * {@code ./bitvision bench faults}, not here: rates belong in benchmarks.)
 */
class CameraFaultsITCase {
    private static final int GOOD_FRAMES = 200;
    private static EmbeddedKafkaBroker broker;
    private static Path goodClip;
    private static TransportStreamClip.Clip liveClip;
    private static Model model;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        broker = EmbeddedKafkaBroker.start();
        Path vtest = SampleVideo.vtest(dir);
        goodClip = VideoClip.firstFrames(vtest, GOOD_FRAMES, dir);
        liveClip = TransportStreamClip.of(vtest, 150, dir);
        model = DarkRegionsModel.build(576, 768, 70);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void faultyCamerasAreReportedAndIsolatedAndAReturningCameraIsPickedUpAgain() throws Exception {
        Topics topics = new Topics("faults.masks", "faults.health", "faults.dead");
        broker.createTopics(2, topics.all());
        try (LiveClipServer flaky = new LiveClipServer(liveClip.file(), liveClip.seconds());
             BadCameraServer bad = new BadCameraServer()) {
            PipelineConfig config = PipelineConfig.builder()
                    .bootstrapServers(broker.bootstrapServers())
                    .topics(topics)
                    .camera("good", goodClip.toString())
                    .camera("flaky", flaky.url())
                    .camera("hang", bad.hangUrl())
                    .camera("garbage", bad.garbageUrl())
                    .model(ModelRef.ofBytes(model.name(), ModelWriter.toBytes(model)), "dark-region")
                    .checkpointInterval(Duration.ofMillis(500))
                    .maxReconnectAttempts(4)
                    .stallTimeout(Duration.ofSeconds(3))
                    .transactionalIdPrefix("faults")
                    .build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
            PipelineJob.define(env, config);
            JobClient job = env.executeAsync("camera faults");
            try {
                // The live camera streams, then loses power.
                Map<String, List<ConsumerRecord<byte[], byte[]>>> read = awaitCommitted(topics, job, Duration.ofSeconds(90),
                        r -> framesOf(r, topics, "flaky").size() >= 20 ? null : "20 frames from the live camera");
                flaky.unplug();
                long unpluggedAt = System.currentTimeMillis();
                int connectionsBefore = flaky.connections();
                read = awaitCommitted(topics, job, Duration.ofSeconds(60),
                        r -> HealthEvents.of(r.get(topics.health())).has("flaky", CameraState.RECONNECTING) ? null
                                : "the live camera reported as reconnecting");
                // Back at once: with 4 attempts and backoff 0.5, 1, 2, 4 s the camera is given up about 7.5 s after the
                // cut, and the RECONNECTING event takes up to two checkpoints to be seen.
                flaky.plug();
                long pluggedAt = System.currentTimeMillis();
                read = awaitCommitted(topics, job, Duration.ofSeconds(120), r -> {
                    HealthEvents health = HealthEvents.of(r.get(topics.health()));
                    boolean flakyBack = framesOf(r, topics, "flaky").stream()
                            .anyMatch(f -> f.getIngestTimeMs().toEpochMilli() >= pluggedAt + 1_000);
                    boolean goodDone = MaskAudit.of(r.get(topics.masks())).framesPerCamera().getOrDefault("good", 0L) == GOOD_FRAMES;
                    boolean hangReported = health.reasons("hang", CameraState.RECONNECTING).stream()
                            .anyMatch(s -> s.contains("timed out"));
                    boolean garbageFailed = health.has("garbage", CameraState.FAILED);
                    return flakyBack && goodDone && hangReported && garbageFailed ? null
                            : "live camera back " + flakyBack + ", good camera done " + goodDone + ", hang reported "
                            + hangReported + ", garbage failed " + garbageFailed + "; health: flaky "
                            + health.of("flaky") + ", hang " + health.of("hang") + ", garbage " + health.of("garbage");
                });

                HealthEvents health = HealthEvents.of(read.get(topics.health()));
                // The returning camera: reconnect attempts while it was away, a second open, frames going on.
                assertThat(health.opens("flaky")).as("opened again after the return").isGreaterThanOrEqualTo(2);
                assertThat(flaky.connections()).isGreaterThan(connectionsBefore);
                assertThat(health.reasons("flaky", CameraState.RECONNECTING)).isNotEmpty()
                        .allSatisfy(reason -> assertThat(reason).containsPattern("end of stream|start failed|stalled|read failed"));
                assertThat(health.has("flaky", CameraState.FAILED)).as("never given up").isFalse();
                List<FrameMasks> flakyFrames = framesOf(read, topics, "flaky");
                assertThat(flakyFrames.stream().filter(f -> f.getIngestTimeMs().toEpochMilli() > unpluggedAt + 500
                        && f.getIngestTimeMs().toEpochMilli() < pluggedAt).count()).as("no frames while unplugged").isZero();
                assertThat(flakyFrames.stream().map(FrameMasks::getFrameSeq).toList()).as("frame numbers go on")
                        .doesNotHaveDuplicates().isSorted();
                // The camera that never answers: each attempt ends in a timeout (FFmpeg's I/O timeout or, whichever comes
                // first, the source's start timeout); it delivers nothing.
                assertThat(health.has("hang", CameraState.STREAMING)).isFalse();
                assertThat(health.reasons("hang", CameraState.RECONNECTING))
                        .allSatisfy(reason -> assertThat(reason).containsPattern("Connection timed out|start timed out"));
                assertThat(bad.hangRequests()).isPositive();
                // The camera sending garbage: FFmpeg cannot open it; bounded attempts, then FAILED with the reason.
                assertThat(health.has("garbage", CameraState.STREAMING)).isFalse();
                assertThat(health.reasons("garbage", CameraState.FAILED)).singleElement().asString()
                        .contains("Invalid data found when processing input").contains("gave up after 4 reconnect attempts");
                assertThat(bad.garbageRequests()).as("the first try and 4 reconnects").isGreaterThanOrEqualTo(5);
                // Isolation: the healthy camera got every frame exactly once; the faulty ones produced no masks.
                MaskAudit audit = MaskAudit.of(read.get(topics.masks()));
                assertThat(audit.framesPerCamera()).containsEntry("good", (long) GOOD_FRAMES)
                        .doesNotContainKeys("hang", "garbage");
                assertThat(audit.duplicates()).isZero();
                assertThat(audit.outOfOrder()).isZero();
                assertThat(framesOf(read, topics, "good").stream().mapToLong(FrameMasks::getFrameSeq).max().orElse(-1))
                        .isEqualTo(GOOD_FRAMES - 1);
            } finally {
                job.cancel().get();
            }
        }
    }

    private static List<FrameMasks> framesOf(Map<String, List<ConsumerRecord<byte[], byte[]>>> read, Topics topics,
                                             String camera) {
        return read.get(topics.masks()).stream().map(r -> AvroRecords.decode(r.value(), FrameMasks.class))
                .filter(f -> f.getCameraId().equals(camera)).toList();
    }

    /** Reads the committed topics until {@code missing} says nothing is missing (null), else what is. */
    private static Map<String, List<ConsumerRecord<byte[], byte[]>>> awaitCommitted(
            Topics topics, JobClient job, Duration timeout,
            java.util.function.Function<Map<String, List<ConsumerRecord<byte[], byte[]>>>, String> missing) {
        return RunningJob.awaitCommitted(job, broker.bootstrapServers(), new Properties(), topics.all(), timeout, missing);
    }
}
