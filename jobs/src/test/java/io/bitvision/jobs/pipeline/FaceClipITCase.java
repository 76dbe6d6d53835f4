package io.bitvision.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.engine.face.DetectedFace;
import io.bitvision.engine.track.IouTracker;
import io.bitvision.operators.faces.FaceAnalyzer;
import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.operators.faces.FrameFaceDetector;
import io.bitvision.operators.inference.ModelRef;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.FaceMatch;
import io.bitvision.schemas.WatchlistOp;
import io.bitvision.schemas.WatchlistUpdate;
import io.bitvision.testkit.audit.CommittedRecords;
import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Face matching on real people, end to end with the shipped models (real broker, MiniCluster, FFmpeg): two CC BY 4.0
 * clips of a fixed indoor camera (samples/, see NOTICE). In the first, three people walk towards the camera and stop,
 * each in a band of the frame of their own in every frame (face centre x, by YuNet: 78-116, 224-232 and 324-376 of
 * 480): a woman on the left, a man in the middle, a woman on the right. The face nearest the centre of frame 20 that
 * the detector finds is enrolled, as the demo does; the second clip shows two other people. Events must fall on the
 * enrolled person's face tracks only; the test reports the events' precision and their recall over that person's
 * face tracks (the tracks the job's own analyzer gives that person over the clip).
 */
class FaceClipITCase {
    private static final Path SAMPLES = Path.of("..", "samples");
    private static final Path THREE = SAMPLES.resolve("face-demographics-walking-and-pause.gif");
    private static final Path TWO_OTHERS = SAMPLES.resolve("face-demographics-walking.gif");
    private static final Path MODELS = Path.of("..", "models");
    private static final int WIDTH = 480;
    private static final int HEIGHT = 270;
    private static final int ENROL_FRAME = 20;
    /** The job's --face-tiles for this camera: its faces are 41-69 px in a 480x270 frame. */
    private static final int FACE_TILES = 2;
    /** Who a face is in the first clip: the band of x its centre is in (0 left, 1 middle, 2 right). */
    static int person(float x, float w) {
        float centre = x + w / 2;
        return centre < 160 ? 0 : centre < 290 ? 1 : 2;
    }

    @Test
    void theEnrolledManIsMatchedOnHisFaceTracksAndNobodyElseIs() throws Exception {
        FrameFaceDetector detector = PipelineArgs.faceDetector(MODELS.resolve(PipelineArgs.FACE_DETECTOR_NAME),
                FACE_TILES);
        FaceEmbedder embedder = PipelineArgs.faceEmbedder(MODELS.resolve(PipelineArgs.FACE_EMBEDDER_NAME));
        float threshold = (float) embedder.calibratedThreshold().orElseThrow();
        List<byte[]> frames = WatchlistClips.rgbFrames(THREE, Integer.MAX_VALUE);
        DetectedFace chosen = detector.detect(frames.get(ENROL_FRAME), HEIGHT, WIDTH).stream()
                .min(java.util.Comparator.comparingDouble(f -> Math.hypot(f.box().x() + f.box().width() / 2 - WIDTH / 2.0,
                        f.box().y() + f.box().height() / 2 - HEIGHT / 2.0)))
                .orElseThrow(() -> new AssertionError("the detector finds no face in frame " + ENROL_FRAME));
        int enrolledPerson = person(chosen.box().x(), chosen.box().width());
        List<Float> enrolled = new ArrayList<>();
        for (float v : embedder.embed(frames.get(ENROL_FRAME), HEIGHT, WIDTH, chosen.landmarks())) {
            enrolled.add(v);
        }
        Set<Long> manTracks = faceTracksOf(enrolledPerson, frames, detector, embedder);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            Topics topics = new Topics("fc.masks", "fc.health", "fc.dead", "fc.faces");
            broker.createTopics(1, topics.all());
            broker.createTopics(1, "fc.watchlist");
            WatchlistClips.publish(broker.bootstrapServers(), "fc.watchlist", WatchlistUpdate.newBuilder().setIdentityId("man").setOp(WatchlistOp.UPSERT)
                    .setVersion(1).setEmbeddings(List.of(enrolled)).setModelId(embedder.id())
                    .setDisplayName("person " + enrolledPerson + " of the clip").setUpdatedTimeMs(Instant.now()).build());
            PipelineConfig config = PipelineConfig.builder()
                    .bootstrapServers(broker.bootstrapServers())
                    .topics(topics)
                    .camera("three", THREE.toString())
                    .camera("two-others", TWO_OTHERS.toString())
                    .model(ModelRef.ofFile(MODELS.resolve("person-v1.bvm")), "person")
                    .watchlist("fc.watchlist", threshold, 5)
                    .faceEmbedder(embedder)
                    .faceDetector(detector)
                    .checkpointInterval(Duration.ofMillis(500))
                    .transactionalIdPrefix("fc")
                    .build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
            PipelineJob.define(env, config);
            env.execute("face clip");

            List<FaceMatch> events = CommittedRecords.readAll(broker.bootstrapServers(), new Properties(),
                            Duration.ofSeconds(30), topics.faces()).get(topics.faces()).stream()
                    .map(r -> AvroRecords.decode(r.value(), FaceMatch.class)).toList();
            long onMan = events.stream().filter(e -> e.getCameraId().equals("three")
                    && person(e.getBbox().get(0), e.getBbox().get(2)) == enrolledPerson).count();
            Set<Long> matchedTracks = new HashSet<>();
            events.stream().filter(e -> e.getCameraId().equals("three")).forEach(e -> matchedTracks.add(e.getTrackId()));
            matchedTracks.retainAll(manTracks);
            System.out.printf(Locale.ROOT, "face clip: person %d enrolled; %d events, %d on that person; precision %.2f; "
                            + "recall over the person's %d face tracks %.2f; threshold %.3f%n", enrolledPerson,
                    events.size(), onMan,
                    events.isEmpty() ? Double.NaN : (double) onMan / events.size(), manTracks.size(),
                    manTracks.isEmpty() ? Double.NaN : (double) matchedTracks.size() / manTracks.size(), threshold);
            for (FaceMatch e : events) {
                System.out.printf(Locale.ROOT, "  %s frame %d track %d box %s similarity %.3f%n", e.getCameraId(),
                        e.getFrameSeq(), e.getTrackId(), e.getBbox(), e.getSimilarity());
            }
            assertThat(events).as("the enrolled person is matched").isNotEmpty();
            assertThat(onMan).as("every event is on the enrolled person's face (precision 1)").isEqualTo(events.size());
            assertThat(matchedTracks).as("the person's face tracks that got an event").isNotEmpty();
        }
    }

    /** The face tracks the job's analyzer gives one person over the clip (same detector, embedder and tracker). */
    private static Set<Long> faceTracksOf(int who, List<byte[]> frames, FrameFaceDetector detector,
                                          FaceEmbedder embedder) {
        FaceAnalyzer analyzer = new FaceAnalyzer(detector, embedder);
        IouTracker tracker = FaceAnalyzer.newTracker();
        Set<Long> tracks = new HashSet<>();
        int[] faces = new int[3];
        for (int i = 0; i < frames.size(); i++) {
            for (FaceAnalyzer.AnalyzedFace f : analyzer.analyze(frames.get(i), HEIGHT, WIDTH, i, tracker)) {
                int p = person(f.face().box().x(), f.face().box().width());
                faces[p]++;
                if (p == who) {
                    tracks.add(f.trackId());
                }
            }
        }
        System.out.printf(Locale.ROOT, "face clip: faces found in %d frames: left %d, middle %d, right %d%n",
                frames.size(), faces[0], faces[1], faces[2]);
        return tracks;
    }
}
