package io.bitvision.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.engine.face.DetectedFace;
import io.bitvision.engine.track.Box;
import io.bitvision.operators.faces.FaceMatchFunction;
import io.bitvision.operators.source.registry.CameraRegistryWriter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import io.bitvision.testkit.audit.CommittedRecords;
import io.bitvision.testkit.audit.MaskAudit;
import io.bitvision.operators.faces.FaceAnalyzer;
import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.operators.faces.FrameFaceDetector;
import io.bitvision.operators.inference.ModelRef;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.FaceMatch;
import io.bitvision.schemas.WatchlistOp;
import io.bitvision.schemas.WatchlistUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Face matching on a real broker and MiniCluster with the shipped models, on Megamind.avi (two recurring characters:
 * Roxanne, the teacher's identity 0, and a man with glasses, identity 1). One running job; cameras showing the clip
 * are registered one after another while it runs: before any enrolment (no events), after enrolling Roxanne (events
 * on her face only, once per episode), after a stop-with-savepoint and restart (the watchlist is still there though
 * its topic is not read again), and after deleting her (no events).
 */
class FaceMatchITCase {
    private static final Path VIDEO = Path.of("/usr/share/doc/opencv-doc/examples/data/Megamind.avi");
    private static final Path MODELS = Path.of("..", "models");
    private static final int FRAMES = 270;
    private static final int HEIGHT = 528;
    private static final int WIDTH = 720;
    private static final long COOLDOWN_FRAMES = 24;
    private static final int ROXANNE = 0;
    private static final int GLASSES = 1;

    /** The metrics of the job started last (a local environment closes its reporter when its job ends). */
    private static InMemoryReporter metrics;
    private static EmbeddedKafkaBroker broker;
    /** Teacher faces by frame (every second frame): identity and box. */
    private static Map<Integer, List<TeacherFace>> teacher;

    record TeacherFace(int identity, Box box) {}

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.start();
        teacher = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("src", "test", "resources", "megamind-teacher-faces.txt"))) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ");
            teacher.computeIfAbsent(Integer.parseInt(f[0]), k -> new ArrayList<>()).add(new TeacherFace(Integer.parseInt(f[1]),
                    new Box(Float.parseFloat(f[2]), Float.parseFloat(f[3]), Float.parseFloat(f[4]), Float.parseFloat(f[5]))));
        }
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void enrolWhileRunningMatchesOnlyTheEnrolledFaceOncePerEpisodeSurvivesARestartAndStopsOnDelete(@TempDir Path savepoints)
            throws Exception {
        FrameFaceDetector detector = PipelineArgs.faceDetector(MODELS.resolve(PipelineArgs.FACE_DETECTOR_NAME));
        FaceEmbedder embedder = PipelineArgs.faceEmbedder(MODELS.resolve(PipelineArgs.FACE_EMBEDDER_NAME));
        float threshold = (float) embedder.calibratedThreshold().orElseThrow();
        Topics topics = new Topics("fm.masks", "fm.health", "fm.dead", "fm.faces");
        broker.createTopics(1, topics.all());
        String registry = "fm.cameras";
        String watchlist = "fm.watchlist";
        broker.createTopics(1, registry, watchlist);
        PipelineConfig config = PipelineConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topics(topics)
                .cameraRegistry(registry)
                .cameraSchemes(List.of("file")) // the registered cameras are clips on disk
                .model(ModelRef.ofFile(MODELS.resolve("person-v1.bvm")), "person")
                .watchlist(watchlist, threshold, COOLDOWN_FRAMES)
                .faceEmbedder(embedder)
                .faceDetector(detector)
                .checkpointInterval(Duration.ofMillis(500))
                .transactionalIdPrefix("fm")
                .build();

        JobClient job = start(config, new Configuration());
        runCamera(registry, topics, "before");
        assertThat(events(topics, "before")).as("no watchlist, no events").isEmpty();

        publish(watchlist, roxanne(1, WatchlistOp.UPSERT, enrolment(detector, embedder), embedder.id()));
        awaitWatchlistVersion(job, 1);
        runCamera(registry, topics, "enrolled");
        List<FaceMatch> enrolled = events(topics, "enrolled");
        assertOnlyRoxanneOncePerEpisode(enrolled, threshold);

        String savepoint = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        job = start(config, restore);
        runCamera(registry, topics, "restored");
        List<FaceMatch> restored = events(topics, "restored");
        assertOnlyRoxanneOncePerEpisode(restored, threshold);
        assertThat(restored).as("the same clip after the restart gives the same matches")
                .extracting(FaceMatch::getFrameSeq).containsExactlyElementsOf(enrolled.stream().map(FaceMatch::getFrameSeq).toList());

        publish(watchlist, roxanne(2, WatchlistOp.DELETE, List.of(), embedder.id()));
        awaitWatchlistVersion(job, 2);
        runCamera(registry, topics, "deleted");
        assertThat(events(topics, "deleted")).as("deleted from the watchlist: no events").isEmpty();
        job.cancel().get();

        MaskAudit audit = MaskAudit.of(committed(topics.masks()));
        assertThat(audit.duplicates()).isZero();
        assertThat(audit.gaps()).isZero();
        assertThat(committed(topics.faces()).stream().map(r -> AvroRecords.decode(r.value(), FaceMatch.class).getEventId())
                .distinct().count()).as("event ids are unique").isEqualTo(enrolled.size() + restored.size());
    }

    private static JobClient start(PipelineConfig config, Configuration configuration) throws Exception {
        metrics = InMemoryReporter.create();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1,
                metrics.addToConfiguration(configuration));
        PipelineJob.define(env, config);
        return env.executeAsync("faces");
    }

    private void assertOnlyRoxanneOncePerEpisode(List<FaceMatch> events, float threshold) {
        assertThat(events).as("the enrolled face is seen").isNotEmpty();
        int onRoxanne = 0;
        Map<Long, Long> lastEventFrame = new HashMap<>();
        for (FaceMatch e : events) {
            assertThat(e.getIdentityId()).isEqualTo("roxanne");
            assertThat(e.getSimilarity()).isGreaterThanOrEqualTo(threshold);
            assertThat(e.getEmbedding()).as("no embeddings on events by default").isNull();
            Box box = new Box(e.getBbox().get(0), e.getBbox().get(1), e.getBbox().get(2), e.getBbox().get(3));
            int identity = teacherIdentity((int) e.getFrameSeq(), box);
            assertThat(identity).as("event at frame %d box %s is not on the man with glasses", e.getFrameSeq(), box)
                    .isNotEqualTo(GLASSES);
            onRoxanne += identity == ROXANNE ? 1 : 0;
            Long last = lastEventFrame.put(e.getTrackId(), e.getFrameSeq());
            assertThat(last == null || e.getFrameSeq() - last > COOLDOWN_FRAMES)
                    .as("one event per (track, identity) episode: track %d at %d after %s", e.getTrackId(), e.getFrameSeq(), last)
                    .isTrue();
        }
        assertThat(onRoxanne).as("events on Roxanne's face, by the teacher's boxes").isGreaterThan(0);
        assertThat(events.size()).as("episodes, not frames").isLessThan(FRAMES / 10);
    }

    /** The teacher's identity of the face under {@code box} at {@code frame} or a neighbour frame; -1 when none. */
    private static int teacherIdentity(int frame, Box box) {
        for (int f : new int[] {frame, frame - 1, frame + 1}) {
            for (TeacherFace t : teacher.getOrDefault(f, List.of())) {
                if (t.box().iou(box) >= 0.3f) {
                    return t.identity();
                }
            }
        }
        return -1;
    }

    /** Roxanne's embeddings from three frames of the clip, each the detected face on her teacher box. */
    private static List<List<Float>> enrolment(FrameFaceDetector detector, FaceEmbedder embedder) throws Exception {
        List<List<Float>> embeddings = new ArrayList<>();
        Map<Integer, byte[]> frames = frames(20, 40, 80);
        for (Map.Entry<Integer, byte[]> frame : frames.entrySet()) {
            Box target = teacher.get(frame.getKey()).stream().filter(t -> t.identity() == ROXANNE).findFirst().orElseThrow().box();
            DetectedFace face = detector.detect(frame.getValue(), HEIGHT, WIDTH).stream()
                    .filter(d -> d.box().iou(target) >= 0.5f).findFirst()
                    .orElseThrow(() -> new AssertionError("the detector misses Roxanne in frame " + frame.getKey()));
            List<Float> embedding = new ArrayList<>();
            for (float v : embedder.embed(frame.getValue(), HEIGHT, WIDTH, face.landmarks())) {
                embedding.add(v);
            }
            embeddings.add(embedding);
        }
        return embeddings;
    }

    private static Map<Integer, byte[]> frames(int... indexes) throws Exception {
        List<byte[]> all = WatchlistClips.rgbFrames(VIDEO, indexes[indexes.length - 1] + 1);
        Map<Integer, byte[]> out = new java.util.TreeMap<>();
        for (int i : indexes) {
            out.put(i, all.get(i));
        }
        return out;
    }

    private static WatchlistUpdate roxanne(long version, WatchlistOp op, List<List<Float>> embeddings, String modelId) {
        return WatchlistUpdate.newBuilder().setIdentityId("roxanne").setOp(op).setVersion(version)
                .setEmbeddings(embeddings).setModelId(modelId).setDisplayName("Roxanne (Megamind.avi)")
                .setUpdatedTimeMs(Instant.now()).build();
    }

    private static void publish(String topic, WatchlistUpdate update) throws Exception {
        WatchlistClips.publish(broker.bootstrapServers(), topic, update);
    }

    /** Waits until the job's face matcher has applied watchlist version {@code version}. */
    private static void awaitWatchlistVersion(JobClient job, long version) {
        await("watchlist version " + version + " applied").atMost(Duration.ofSeconds(60))
                .until(() -> watchlistVersions(job), versions -> versions.stream().anyMatch(v -> v >= version));
    }

    /** The face matchers' {@code watchlistVersion} gauges of {@code job}. */
    private static List<Long> watchlistVersions(JobClient job) {
        List<Long> versions = new ArrayList<>();
        metrics.getMetricsByGroup().forEach((group, byName) -> {
            if (byName.get(FaceMatchFunction.WATCHLIST_VERSION_METRIC) instanceof Gauge<?> gauge
                    && gauge.getValue() instanceof Long version
                    && job.getJobID().toString().equals(group.getAllVariables().get("<job_id>"))) {
                versions.add(version);
            }
        });
        return versions;
    }

    /**
     * Registers a camera showing the clip and waits until all its frames' mask records are committed. Its face events
     * are then committed too: one sink writes both, and the transaction that holds the last frame's masks holds every
     * record derived from the frames before that checkpoint's barrier.
     */
    private static void runCamera(String registry, Topics topics, String camera) throws Exception {
        CameraRegistryWriter.register(broker.bootstrapServers(), registry, camera, VIDEO.toString());
        await("camera " + camera + "'s frames committed").atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> MaskAudit.of(committed(topics.masks())).framesPerCamera().getOrDefault(camera, 0L),
                        n -> n >= FRAMES);
    }

    private static List<FaceMatch> events(Topics topics, String camera) throws Exception {
        return committed(topics.faces()).stream().map(r -> AvroRecords.decode(r.value(), FaceMatch.class))
                .filter(e -> e.getCameraId().equals(camera)).toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> committed(String topic) throws Exception {
        return CommittedRecords.readAll(broker.bootstrapServers(), new Properties(), Duration.ofSeconds(30), topic).get(topic);
    }
}
