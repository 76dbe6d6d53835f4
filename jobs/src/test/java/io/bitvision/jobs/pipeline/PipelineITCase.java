package io.bitvision.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.testkit.clips.SampleVideo;
import io.bitvision.testkit.audit.CommittedRecords;
import io.bitvision.testkit.audit.MaskAudit;
import io.bitvision.operators.inference.DarkRegionsModel;
import io.bitvision.operators.inference.ModelRef;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.CameraActivity;
import io.bitvision.schemas.FrameMasks;
import java.nio.file.Path;
import java.time.Duration;
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
 * The whole pipeline on a real broker and a real MiniCluster, decoding vtest.avi with FFmpeg: what a
 * read_committed consumer sees must be exactly one mask record per frame, per camera contiguous and ordered,
 * also across a stop-with-savepoint and a restart in the middle of the file.
 */
class PipelineITCase {
    private static final int VTEST_FRAMES = 795;
    private static EmbeddedKafkaBroker broker;
    private static Path video;
    private static Model model;

    @BeforeAll
    static void start(@TempDir Path cache) throws Exception {
        broker = EmbeddedKafkaBroker.start();
        video = SampleVideo.vtest(cache);
        model = DarkRegionsModel.build(576, 768, 70);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static PipelineConfig config(Topics topics, String prefix) {
        return configBuilder(topics, prefix).build();
    }

    private static PipelineConfig.Builder configBuilder(Topics topics, String prefix) {
        return PipelineConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topics(topics)
                .camera("vtest", video.toString())
                .model(ModelRef.ofBytes(model.name(), ModelWriter.toBytes(model)), "dark-region")
                .checkpointInterval(Duration.ofMillis(500))
                .transactionalIdPrefix(prefix);
    }

    private static Topics topics(String name) {
        Topics topics = new Topics(name + ".masks", name + ".health", name + ".dead");
        broker.createTopics(2, topics.all());
        return topics;
    }

    @Test
    void everyFrameBecomesExactlyOneCommittedMaskRecord() throws Exception {
        Topics topics = topics("whole");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        // Two threads per frame here: the job's output must not depend on how the engine splits its rows.
        PipelineJob.define(env, configBuilder(topics, "whole").inferenceThreads(2).build());
        env.execute("whole file");

        Map<String, List<ConsumerRecord<byte[], byte[]>>> read = CommittedRecords.readAll(
                broker.bootstrapServers(), new Properties(), Duration.ofSeconds(60), topics.all());
        MaskAudit audit = MaskAudit.of(read.get(topics.masks()));
        assertThat(audit.records()).isEqualTo(VTEST_FRAMES);
        assertThat(audit.duplicates()).isZero();
        assertThat(audit.gaps()).isZero();
        assertThat(audit.outOfOrder()).isZero();
        FrameMasks first = AvroRecords.decode(read.get(topics.masks()).get(0).value(), FrameMasks.class);
        assertThat(first.getFrameWidth()).isEqualTo(768);
        assertThat(first.getFrameHeight()).isEqualTo(576);
        assertThat(first.getModelId()).isEqualTo(DarkRegionsModel.NAME);
        assertThat(read.get(topics.health())).isNotEmpty();
    }

    @Test
    void stopWithSavepointMidFileAndRestartLosesAndRepeatsNothing(@TempDir Path savepoints) throws Exception {
        Topics topics = topics("restart");
        String activity = "restart.activity";
        broker.createTopics(1, activity);
        PipelineConfig config = configBuilder(topics, "restart").activity(activity, 100).build();
        StreamExecutionEnvironment first = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        PipelineJob.define(first, config);
        JobClient job = first.executeAsync("before savepoint");
        RunningJob.await(job, "the job commits 150 records", Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100)).until(() -> committedMasks(topics) >= 150);
        String savepoint = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();
        int before = committedMasks(topics);
        assertThat(before).as("stopped mid-file").isBetween(150, VTEST_FRAMES - 1);

        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        StreamExecutionEnvironment second = StreamExecutionEnvironment.createLocalEnvironment(1, restore);
        PipelineJob.define(second, config);
        second.execute("after savepoint");

        // The activity blocks: each of the 7 complete blocks of 100 frames once, with all its frames, the block open
        // at the stop included (its count so far came from the savepoint); the last 95 frames stay an open block.
        List<CameraActivity> blocks = CommittedRecords.readAll(broker.bootstrapServers(), new Properties(),
                Duration.ofSeconds(60), activity).get(activity).stream()
                .map(r -> AvroRecords.decode(r.value(), CameraActivity.class)).toList();
        assertThat(blocks).extracting(CameraActivity::getFirstFrameSeq)
                .containsExactly(0L, 100L, 200L, 300L, 400L, 500L, 600L);
        assertThat(blocks).allSatisfy(b -> {
            assertThat(b.getFramesProcessed()).isEqualTo(100);
            assertThat(b.getFramesDropped()).isZero();
        });

        List<ConsumerRecord<byte[], byte[]>> masks = CommittedRecords.readAll(broker.bootstrapServers(), new Properties(),
                Duration.ofSeconds(60), topics.masks()).get(topics.masks());
        MaskAudit audit = MaskAudit.of(masks);
        assertThat(audit.records()).isEqualTo(VTEST_FRAMES);
        assertThat(audit.duplicates()).isZero();
        assertThat(audit.gaps()).isZero();
        assertThat(audit.outOfOrder()).isZero();

        // Track ids carry over: the objects of the last frame before the stop keep their ids in the first frame
        // after it, and new tracks continue the numbering instead of starting again.
        Map<Long, List<Long>> tracksByFrame = new java.util.HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : masks) {
            FrameMasks m = AvroRecords.decode(r.value(), FrameMasks.class);
            tracksByFrame.put(m.getFrameSeq(), m.getInstances().stream().map(i -> i.getTrackId()).toList());
        }
        List<Long> lastBefore = tracksByFrame.get((long) before - 1);
        List<Long> firstAfter = tracksByFrame.get((long) before);
        assertThat(lastBefore).as("objects in the last frame before the stop").isNotEmpty();
        assertThat(firstAfter).as("the first frame after the restore continues those tracks")
                .containsAnyElementsOf(lastBefore);
        java.util.Set<Long> seenBefore = new java.util.HashSet<>();
        tracksByFrame.forEach((frame, ids) -> {
            if (frame < before) {
                seenBefore.addAll(ids);
            }
        });
        long maxBefore = seenBefore.stream().mapToLong(Long::longValue).max().orElseThrow();
        List<Long> newAfter = tracksByFrame.entrySet().stream().filter(e -> e.getKey() >= before)
                .flatMap(e -> e.getValue().stream()).filter(id -> !seenBefore.contains(id)).distinct().toList();
        assertThat(newAfter).as("tracks that start after the restore").isNotEmpty();
        assertThat(newAfter).as("no track numbered from scratch after the restore").allMatch(id -> id > maxBefore);
    }

    @Test
    void badCamerasAreReportedAndIsolated(@TempDir Path dir) throws Exception {
        Topics topics = topics("faults");
        Path truncated = dir.resolve("truncated.avi");
        byte[] bytes = java.nio.file.Files.readAllBytes(video);
        java.nio.file.Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length * 2 / 5));
        PipelineConfig config = PipelineConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topics(topics)
                .camera("good", video.toString())
                .camera("cut", truncated.toString())
                .camera("dead", io.bitvision.testkit.faults.BadCameraServer.closedPortUrl())
                .model(ModelRef.ofBytes(model.name(), ModelWriter.toBytes(model)), "dark-region")
                .checkpointInterval(Duration.ofMillis(500))
                .maxReconnectAttempts(3)
                .stallTimeout(Duration.ofSeconds(2))
                .transactionalIdPrefix("faults")
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        PipelineJob.define(env, config);
        JobClient job = env.executeAsync("faults");
        Map<String, List<ConsumerRecord<byte[], byte[]>>> read = RunningJob.awaitCommitted(job,
                broker.bootstrapServers(), new Properties(), topics.all(), Duration.ofSeconds(180), r -> {
                    boolean goodDone = MaskAudit.of(r.get(topics.masks())).framesPerCamera()
                            .getOrDefault("good", 0L) == VTEST_FRAMES;
                    boolean deadFailed = healthStates(r.get(topics.health()), "dead")
                            .contains(io.bitvision.schemas.CameraState.FAILED);
                    boolean cutReported = !r.get(topics.deadLetters()).isEmpty();
                    return goodDone && deadFailed && cutReported ? null : String.format(
                            "good camera done %s, dead camera failed %s, dead letter %s", goodDone, deadFailed, cutReported);
                });
        job.cancel().get();

        MaskAudit audit = MaskAudit.of(read.get(topics.masks()));
        assertThat(audit.duplicates()).isZero();
        assertThat(audit.gaps()).isZero();
        io.bitvision.schemas.DeadLetter letter = AvroRecords.decode(read.get(topics.deadLetters()).get(0).value(),
                io.bitvision.schemas.DeadLetter.class);
        assertThat(letter.getCameraId()).isEqualTo("cut");
        assertThat(letter.getReason()).isNotBlank();
        assertThat(audit.framesPerCamera().getOrDefault("cut", 0L)).as("frames before the cut").isPositive()
                .isLessThan(VTEST_FRAMES);
        List<io.bitvision.schemas.CameraHealth> dead = read.get(topics.health()).stream()
                .map(r -> AvroRecords.decode(r.value(), io.bitvision.schemas.CameraHealth.class))
                .filter(h -> h.getCameraId().equals("dead")).toList();
        assertThat(dead.stream().mapToInt(io.bitvision.schemas.CameraHealth::getReconnectAttempts).max().orElse(0))
                .as("bounded reconnect attempts").isBetween(1, 3);
    }

    @Test
    void camerasPushingJpegFramesGetMasksAndBadFramesGoToDeadLetters() throws Exception {
        Topics topics = topics("pushed");
        String jpegTopic = "pushed.frames";
        broker.createTopics(1, jpegTopic);
        byte[] corrupt = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4, 5};
        Properties producerProps = new Properties();
        producerProps.put("bootstrap.servers", broker.bootstrapServers());
        producerProps.put("key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        producerProps.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(producerProps)) {
            for (int i = 0; i < 12; i++) {
                if (i == 5) {
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(jpegTopic, "door".getBytes(), corrupt));
                }
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(jpegTopic, "door".getBytes(), jpeg(i)));
            }
        }
        PipelineConfig config = PipelineConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topics(topics)
                .jpegTopic(jpegTopic)
                .model(ModelRef.ofBytes(model.name(), ModelWriter.toBytes(model)), "dark-region")
                .checkpointInterval(Duration.ofMillis(500))
                .transactionalIdPrefix("pushed")
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        PipelineJob.define(env, config);
        JobClient job = env.executeAsync("pushed frames");
        Map<String, List<ConsumerRecord<byte[], byte[]>>> read = RunningJob.awaitCommitted(job,
                broker.bootstrapServers(), new Properties(), topics.all(), Duration.ofSeconds(120),
                r -> r.get(topics.masks()).size() >= 12 && !r.get(topics.deadLetters()).isEmpty() ? null
                        : r.get(topics.masks()).size() + " of 12 pushed frames, " + r.get(topics.deadLetters()).size()
                        + " dead letters");
        job.cancel().get();

        MaskAudit audit = MaskAudit.of(read.get(topics.masks()));
        assertThat(audit.framesPerCamera()).containsEntry("door", 12L);
        assertThat(audit.duplicates()).isZero();
        assertThat(audit.gaps()).isZero();
        io.bitvision.schemas.DeadLetter letter = AvroRecords.decode(read.get(topics.deadLetters()).get(0).value(),
                io.bitvision.schemas.DeadLetter.class);
        assertThat(letter.getSourceTopic()).isEqualTo(jpegTopic);
        byte[] payload = new byte[letter.getPayload().remaining()];
        letter.getPayload().get(payload);
        assertThat(payload).isEqualTo(corrupt);
    }

    @Test
    void aCameraRegisteredWhileTheJobRunsIsPickedUp() throws Exception {
        Topics topics = topics("registry");
        String registry = "registry.cameras";
        broker.createTopics(1, registry);
        PipelineConfig config = PipelineConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topics(topics)
                .cameraRegistry(registry)
                .cameraSchemes(List.of("file")) // the registered camera is a clip on disk
                .model(ModelRef.ofBytes(model.name(), ModelWriter.toBytes(model)), "dark-region")
                .checkpointInterval(Duration.ofMillis(500))
                .transactionalIdPrefix("registry")
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        PipelineJob.define(env, config);
        JobClient job = env.executeAsync("registry");
        RunningJob.awaitSteadilyRunning(job, Duration.ofSeconds(3)); // the job runs with no camera at all
        io.bitvision.operators.source.registry.CameraRegistryWriter.register(broker.bootstrapServers(), registry, "late", video.toString());
        MaskAudit audit = MaskAudit.of(RunningJob.awaitCommitted(job, broker.bootstrapServers(), new Properties(),
                new String[] {topics.masks()}, Duration.ofSeconds(120), r -> {
                    long late = MaskAudit.of(r.get(topics.masks())).framesPerCamera().getOrDefault("late", 0L);
                    return late >= VTEST_FRAMES ? null : "the registered camera's frames: " + late;
                }).get(topics.masks()));
        job.cancel().get();
        assertThat(audit.duplicates()).isZero();
        assertThat(audit.gaps()).isZero();
    }

    @Test
    void anEnrolledRegionYieldsFaceMatchEventsOncePerEpisode() throws Exception {
        Topics topics = topics("faces");
        String watchlistTopic = "faces.watchlist";
        broker.createTopics(1, watchlistTopic);
        // Enrol the largest region the stand-in model finds in frame 200, with the test embedder.
        byte[] rgb;
        try (var grabber = new org.bytedeco.javacv.FFmpegFrameGrabber(video.toFile());
             var converter = new org.bytedeco.javacv.Java2DFrameConverter()) {
            grabber.start();
            org.bytedeco.javacv.Frame frame = null;
            for (int i = 0; i <= 200; i++) {
                frame = grabber.grabImage();
            }
            java.awt.image.BufferedImage image = converter.convert(frame);
            rgb = new byte[576 * 768 * 3];
            for (int y = 0; y < 576; y++) {
                for (int x = 0; x < 768; x++) {
                    int p = image.getRGB(x, y);
                    rgb[(y * 768 + x) * 3] = (byte) (p >> 16);
                    rgb[(y * 768 + x) * 3 + 1] = (byte) (p >> 8);
                    rgb[(y * 768 + x) * 3 + 2] = (byte) p;
                }
            }
            grabber.stop();
        }
        var analyzer = new io.bitvision.operators.inference.FrameAnalyzer(model, 64L << 20, 6);
        var largest = analyzer.analyze(rgb, 576, 768, 0, new io.bitvision.engine.track.IouTracker(0.3f, 10)).stream()
                .max(java.util.Comparator.comparingLong(t -> t.instance().area())).orElseThrow();
        float[] embedding = new io.bitvision.operators.faces.ColourLayoutEmbedder().embed(rgb, 576, 768, largest.instance().box());
        List<Float> enrolled = new java.util.ArrayList<>();
        for (float f : embedding) {
            enrolled.add(f);
        }
        Properties producerProps = new Properties();
        producerProps.put("bootstrap.servers", broker.bootstrapServers());
        producerProps.put("key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        producerProps.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(producerProps)) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(watchlistTopic, "region".getBytes(),
                    AvroRecords.encode(io.bitvision.schemas.WatchlistUpdate.newBuilder().setIdentityId("region")
                            .setOp(io.bitvision.schemas.WatchlistOp.UPSERT).setVersion(1).setEmbeddings(List.of(enrolled))
                            .setModelId(io.bitvision.operators.faces.ColourLayoutEmbedder.ID)
                            .setUpdatedTimeMs(java.time.Instant.now()).build()))).get();
        }

        PipelineConfig config = PipelineConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topics(topics)
                .camera("vtest", video.toString())
                .model(ModelRef.ofBytes(model.name(), ModelWriter.toBytes(model)), "dark-region")
                .checkpointInterval(Duration.ofMillis(500))
                .watchlist(watchlistTopic, 0.95f, 50)
                .transactionalIdPrefix("faces")
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        PipelineJob.define(env, config);
        env.execute("faces");

        Map<String, List<ConsumerRecord<byte[], byte[]>>> read = CommittedRecords.readAll(broker.bootstrapServers(),
                new Properties(), Duration.ofSeconds(60), topics.all());
        List<io.bitvision.schemas.FaceMatch> events = read.get(topics.faces()).stream()
                .map(r -> AvroRecords.decode(r.value(), io.bitvision.schemas.FaceMatch.class)).toList();
        assertThat(events).isNotEmpty();
        assertThat(events).extracting(io.bitvision.schemas.FaceMatch::getIdentityId).containsOnly("region");
        assertThat(events).allSatisfy(e -> assertThat(e.getSimilarity()).isGreaterThanOrEqualTo(0.95f));
        assertThat(events.stream().map(io.bitvision.schemas.FaceMatch::getEventId).distinct().count())
                .as("one event per episode, none repeated").isEqualTo(events.size());
        assertThat(events.size()).as("episodes, not frames").isLessThan(VTEST_FRAMES / 10);
        assertThat(MaskAudit.of(read.get(topics.masks())).records()).isEqualTo(VTEST_FRAMES);
    }

    private static byte[] jpeg(int index) throws java.io.IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(160, 120, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(java.awt.Color.LIGHT_GRAY);
        g.fillRect(0, 0, 160, 120);
        g.setColor(java.awt.Color.BLACK);
        g.fillRect(10 + index * 5, 30, 30, 60);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    @Test
    void aCorruptStretchInsideAFileBecomesDeadLettersAndTheFileGoesOn(@TempDir Path dir) throws Exception {
        Topics topics = topics("corrupt");
        byte[] bytes = java.nio.file.Files.readAllBytes(video);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        for (int i = bytes.length / 2; i < bytes.length / 2 + 40_000; i++) {
            bytes[i] = (byte) rnd.nextInt(256);
        }
        Path damaged = dir.resolve("damaged.avi");
        java.nio.file.Files.write(damaged, bytes);
        PipelineConfig config = PipelineConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topics(topics)
                .camera("damaged", damaged.toString())
                .camera("good", video.toString())
                .model(ModelRef.ofBytes(model.name(), ModelWriter.toBytes(model)), "dark-region")
                .checkpointInterval(Duration.ofMillis(500))
                .transactionalIdPrefix("corrupt")
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        PipelineJob.define(env, config);
        env.execute("corrupt stretch");

        Map<String, List<ConsumerRecord<byte[], byte[]>>> read = CommittedRecords.readAll(broker.bootstrapServers(),
                new Properties(), Duration.ofSeconds(60), topics.all());
        MaskAudit audit = MaskAudit.of(read.get(topics.masks()));
        List<io.bitvision.schemas.DeadLetter> letters = read.get(topics.deadLetters()).stream()
                .map(r -> AvroRecords.decode(r.value(), io.bitvision.schemas.DeadLetter.class)).toList();
        assertThat(letters).as("the damaged stretch is reported").isNotEmpty();
        assertThat(letters).allSatisfy(l -> {
            assertThat(l.getCameraId()).isEqualTo("damaged");
            assertThat(l.getReason()).isNotBlank();
        });
        assertThat(audit.framesPerCamera().get("good")).isEqualTo((long) VTEST_FRAMES);
        long damagedFrames = audit.framesPerCamera().getOrDefault("damaged", 0L);
        assertThat(damagedFrames).as("frames after the damage are still decoded").isGreaterThan(VTEST_FRAMES * 3 / 4);
        assertThat(audit.duplicates()).isZero();
        assertThat(healthStates(read.get(topics.health()), "damaged")).contains(io.bitvision.schemas.CameraState.ENDED);
    }

    private static java.util.Set<io.bitvision.schemas.CameraState> healthStates(
            List<ConsumerRecord<byte[], byte[]>> health, String camera) {
        java.util.Set<io.bitvision.schemas.CameraState> states = java.util.EnumSet.noneOf(io.bitvision.schemas.CameraState.class);
        for (ConsumerRecord<byte[], byte[]> r : health) {
            io.bitvision.schemas.CameraHealth h = AvroRecords.decode(r.value(), io.bitvision.schemas.CameraHealth.class);
            if (h.getCameraId().equals(camera)) {
                states.add(h.getState());
            }
        }
        return states;
    }

    private static int committedMasks(Topics topics) {
        return MaskAudit.of(CommittedRecords.readAll(broker.bootstrapServers(), new Properties(), Duration.ofSeconds(30),
                topics.masks()).get(topics.masks())).records();
    }
}
