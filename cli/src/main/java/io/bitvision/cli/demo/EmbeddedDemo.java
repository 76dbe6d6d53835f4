package io.bitvision.cli.demo;

import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.testkit.audit.CommittedRecords;
import io.bitvision.testkit.audit.MaskAudit;
import io.bitvision.cli.PhotoEnrolment;
import io.bitvision.cli.console.Console;
import io.bitvision.cli.console.ConsoleTopics;
import io.bitvision.jobs.pipeline.PipelineConfig;
import io.bitvision.operators.preview.PreviewSettings;
import io.bitvision.jobs.pipeline.PipelineJob;
import io.bitvision.operators.inference.ModelRef;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.CameraHealth;
import io.bitvision.schemas.CameraState;
import io.bitvision.schemas.FaceMatch;
import io.bitvision.schemas.FrameMasks;
import io.bitvision.schemas.WatchlistUpdate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The embedded default: an in-process KRaft broker, a local Flink MiniCluster and the pipeline job on the
 * sample video; then reads the topics back as a read_committed consumer, checks them and draws an overlay.
 */
public final class EmbeddedDemo {
    /** A face track seen again within this many frames gets no second event for the same identity. */
    static final long FACE_COOLDOWN_FRAMES = 10;

    private EmbeddedDemo() {}

    /**
     * {@code demo --console}: the console's port, the models it enrols with, the preview rate, and what to do with
     * the result when the job has ended, before the console is kept up.
     */
    public record ConsoleOptions(int port, Path modelsDir, double previewFps,
                                 java.util.function.Consumer<Result> jobEnded) {}

    public record Result(long framesRead, Map<String, Integer> records, int duplicates, long gaps, Path overlay,
                         Map<String, Object> perCamera, Map<String, Object> faces) {}

    /** @param className what the model's instances are, as the mask records name them */
    public static Result run(List<String> cameraIds, Path video, Path outDir, int parallelism, ModelRef model,
                             String className) throws Exception {
        return run(cameraIds, video, outDir, parallelism, model, className, null, null);
    }

    /**
     * @param console with a console: previews on, the console started before the job, and kept up after it until
     *                the JVM is stopped (Ctrl-C); null: none
     */
    public static Result run(List<String> cameraIds, Path video, Path outDir, int parallelism, ModelRef model,
                             String className, ConsoleOptions console, FaceCamera faces) throws Exception {
        Topics topics = Topics.defaults();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(2, topics.all());
            System.out.println("broker up at " + broker.bootstrapServers());
            PipelineConfig.Builder config = PipelineConfig.builder()
                    .bootstrapServers(broker.bootstrapServers())
                    .model(model, className)
                    .checkpointInterval(Duration.ofSeconds(1))
                    .parallelism(parallelism);
            Console running = null;
            if (console != null) {
                ConsoleTopics consoleTopics = new ConsoleTopics(topics.masks(), topics.health(), topics.faces(),
                        PhotoEnrolment.defaultTopic(), ConsoleTopics.DEFAULT_PREVIEWS);
                broker.createTopics(2, consoleTopics.previews(), consoleTopics.watchlist());
                config.previews(new PreviewSettings(consoleTopics.previews(), console.previewFps(), PreviewSettings.DEFAULT_WIDTH));
                running = Console.start(new Console.Settings(broker.bootstrapServers(), new Properties(), consoleTopics,
                        "127.0.0.1", console.port(), null, null, null, console.modelsDir()));
                System.out.println(running.banner());
                System.out.println("open " + running.url() + " to watch the cameras");
            }
            for (String id : cameraIds) {
                config.camera(id, video.toString());
            }
            if (faces != null) {
                String watchlist = PhotoEnrolment.defaultTopic();
                if (console == null) {
                    broker.createTopics(1, watchlist);
                }
                publish(broker.bootstrapServers(), watchlist, faces.enrolled());
                float[] b = faces.enrolledAt();
                System.out.printf(Locale.ROOT, "enrolled '%s' from frame %d of %s: face [%.0f, %.0f, %.0f, %.0f]; camera %s "
                                + "plays that clip; threshold %.3f (%s)%n", faces.enrolled().getIdentityId(), faces.enrolFrame(),
                        faces.clip(), b[0], b[1], b[2], b[3], faces.cameraId(), faces.threshold(), faces.embedder().id());
                config.camera(faces.cameraId(), faces.clip().toString())
                        .watchlist(watchlist, faces.threshold(), FACE_COOLDOWN_FRAMES)
                        .faceCamera(faces.cameraId()) // the vtest cameras skip the tiled face detector
                        .faceDetector(faces.detector())
                        .faceEmbedder(faces.embedder());
            }
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, new Configuration());
            PipelineJob.define(env, config.build());
            long started = System.nanoTime();
            JobClient job = env.executeAsync("bitvision demo");
            // The local cluster shuts down with the job, so watch the result future, not the job status.
            var finished = job.getJobExecutionResult();
            while (!finished.isDone()) {
                Thread.sleep(2000);
                System.out.printf(Locale.ROOT, "  %5.1f s: running, mask topic committed up to offset %d%n",
                        (System.nanoTime() - started) / 1e9, committedCount(broker.bootstrapServers(), topics.masks()));
            }
            finished.get();
            double seconds = (System.nanoTime() - started) / 1e9;

            Map<String, List<ConsumerRecord<byte[], byte[]>>> byTopic = CommittedRecords.readAll(
                    broker.bootstrapServers(), new Properties(), Duration.ofSeconds(60), topics.all());
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (String topic : topics.all()) {
                counts.put(topic, byTopic.get(topic).size());
            }
            MaskAudit audit = MaskAudit.of(byTopic.get(topics.masks()));
            Map<String, Long> decoded = framesDecoded(byTopic.get(topics.health()));
            long framesRead = decoded.values().stream().mapToLong(Long::longValue).sum();

            Map<String, Object> perCamera = new TreeMap<>();
            List<FrameMasks> firstCamera = new ArrayList<>();
            List<FrameMasks> faceCameraMasks = new ArrayList<>();
            Map<String, Integer> instances = new TreeMap<>();
            Map<String, java.util.Set<Long>> tracks = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : byTopic.get(topics.masks())) {
                FrameMasks m = AvroRecords.decode(r.value(), FrameMasks.class);
                instances.merge(m.getCameraId(), m.getInstances().size(), Integer::sum);
                m.getInstances().forEach(i -> tracks.computeIfAbsent(m.getCameraId(), k -> new java.util.TreeSet<>()).add(i.getTrackId()));
                if (m.getCameraId().equals(cameraIds.get(0))) {
                    firstCamera.add(m);
                } else if (faces != null && m.getCameraId().equals(faces.cameraId())) {
                    faceCameraMasks.add(m);
                }
            }
            System.out.printf(Locale.ROOT, "%njob finished in %.1f s (%.1f frames/s over all cameras)%n", seconds,
                    audit.records() / seconds);
            List<String> allCameras = new ArrayList<>(cameraIds);
            if (faces != null) {
                allCameras.add(faces.cameraId());
            }
            for (String id : allCameras) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("frames_decoded", decoded.getOrDefault(id, 0L));
                c.put("mask_records", audit.framesPerCamera().getOrDefault(id, 0L));
                c.put("instances", instances.getOrDefault(id, 0));
                c.put("tracks", tracks.getOrDefault(id, java.util.Set.of()).size());
                perCamera.put(id, c);
                System.out.printf(Locale.ROOT, "camera %-8s decoded %4d frames, %4d mask records, %5d instances, %4d track ids%n",
                        id, c.get("frames_decoded"), c.get("mask_records"), c.get("instances"), c.get("tracks"));
            }
            System.out.printf(Locale.ROOT, "read_committed: %s; duplicates %d, gaps %d, out of order %d%n",
                    counts, audit.duplicates(), audit.gaps(), audit.outOfOrder());
            Path overlay = OverlayWriter.write(video, firstCamera, 6, outDir.resolve("overlay"));
            System.out.println("overlay: " + overlay);
            Map<String, Object> faceReport = faces == null ? null : faceMatches(faces, byTopic.get(topics.faces()));
            if (faces != null) {
                Path faceSheet = OverlayWriter.writeFaceMatches(faces.clip(), faceCameraMasks,
                        faceMarks(byTopic.get(topics.faces())), 6, outDir.resolve("overlay-faces"));
                if (faceSheet != null) {
                    faceReport.put("overlay", faceSheet.toString());
                    System.out.println("face-match overlay: " + faceSheet);
                }
            }
            Result result = new Result(framesRead, counts, audit.duplicates(), audit.gaps(), overlay, perCamera, faceReport);
            if (running != null) {
                console.jobEnded().accept(result);
                System.out.println("the job has ended; the console stays up with the committed records at " + running.url()
                        + " until Ctrl-C");
                Thread.currentThread().join(); // until the JVM is stopped
            }
            return result;
        }
    }

    private static List<OverlayWriter.FaceMark> faceMarks(List<ConsumerRecord<byte[], byte[]>> records) {
        List<OverlayWriter.FaceMark> marks = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            FaceMatch m = AvroRecords.decode(r.value(), FaceMatch.class);
            List<Float> b = m.getBbox();
            marks.add(new OverlayWriter.FaceMark(m.getFrameSeq(), new float[] {b.get(0), b.get(1), b.get(2), b.get(3)},
                    String.format(Locale.ROOT, "%s %.3f", m.getIdentityId(), m.getSimilarity())));
        }
        return marks;
    }

    /** Every face-match event, printed and listed: camera, frame, face track, identity, similarity, box. */
    private static Map<String, Object> faceMatches(FaceCamera faces, List<ConsumerRecord<byte[], byte[]>> records) {
        List<Map<String, Object>> events = new ArrayList<>();
        System.out.printf(Locale.ROOT, "face matches: %d event%s%n", records.size(), records.size() == 1 ? "" : "s");
        for (ConsumerRecord<byte[], byte[]> r : records) {
            FaceMatch m = AvroRecords.decode(r.value(), FaceMatch.class);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("camera", m.getCameraId().toString());
            e.put("frame", m.getFrameSeq());
            e.put("face_track", m.getTrackId());
            e.put("identity", m.getIdentityId().toString());
            e.put("similarity", m.getSimilarity());
            e.put("threshold", m.getThreshold());
            e.put("bbox", m.getBbox());
            events.add(e);
            System.out.printf(Locale.ROOT, "  %s frame %d face track %d -> '%s' similarity %.3f (threshold %.3f) box %s%n",
                    m.getCameraId(), m.getFrameSeq(), m.getTrackId(), m.getIdentityId(), m.getSimilarity(),
                    m.getThreshold(), m.getBbox());
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("camera", faces.cameraId());
        report.put("clip", faces.clip().toString());
        report.put("enrolled", faces.enrolled().getIdentityId().toString());
        report.put("enrol_frame", faces.enrolFrame());
        report.put("enrolled_box", faces.enrolledAt());
        report.put("detector", faces.detector().id());
        report.put("embedder", faces.embedder().id());
        report.put("threshold", faces.threshold());
        report.put("events", events);
        return report;
    }

    private static void publish(String bootstrap, String topic, WatchlistUpdate update) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, update.getIdentityId().toString().getBytes(
                    java.nio.charset.StandardCharsets.UTF_8), AvroRecords.encode(update))).get();
        }
    }

    private static Map<String, Long> framesDecoded(List<ConsumerRecord<byte[], byte[]>> health) {
        Map<String, Long> decoded = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : health) {
            CameraHealth h = AvroRecords.decode(r.value(), CameraHealth.class);
            if (h.getState() == CameraState.ENDED || !decoded.containsKey(h.getCameraId())) {
                decoded.merge(h.getCameraId(), h.getFramesDecoded(), Math::max);
            }
        }
        return decoded;
    }

    private static long committedCount(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("isolation.level", "read_committed");
        props.put("key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(props)) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
