package io.bitvision.benchmarks.faces;

import io.bitvision.benchmarks.live.BenchTopics;
import io.bitvision.benchmarks.live.CommitWatcher;
import io.bitvision.benchmarks.live.Percentiles;
import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.engine.face.DetectedFace;
import io.bitvision.jobs.pipeline.PipelineConfig;
import io.bitvision.jobs.pipeline.PipelineJob;
import io.bitvision.testkit.report.JsonReports;
import io.bitvision.operators.faces.AlignedFace;
import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.operators.faces.FrameFaceDetector;
import io.bitvision.operators.inference.ModelRef;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.operators.source.kafka.JpegFrames;
import io.bitvision.operators.source.kafka.RgbImage;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.FaceMatch;
import io.bitvision.schemas.FrameMasks;
import io.bitvision.schemas.WatchlistOp;
import io.bitvision.schemas.WatchlistUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * {@code ./bitvision bench faces}: what the face path costs, on a clip with faces (default Megamind.avi from Debian's
 * opencv-doc) and the shipped models. Writes {@code bench-results/faces.json}.
 *
 * <ul>
 *   <li>{@code detector_ms_per_frame}, {@code align_ms_per_face}, {@code embed_ms_per_face}: medians over the clip's
 *       frames (every {@code --stride}th) and their faces, one thread, after one warm-up pass;
 *   <li>{@code event_latency_ms}: the job on a local MiniCluster and the in-process broker, one camera, the largest
 *       face of frame {@code --enrol-frame} enrolled before the start; for each face-match event, the time a
 *       read_committed consumer first sees it minus the matched frame's {@code ingest_time_ms} (from its mask
 *       record), and the broker's LogAppendTime minus the same ({@code append}). The file is read as fast as the
 *       job takes it, so these are latencies under full load; the visible latency includes the checkpoint wait.
 * </ul>
 */
public final class FaceBench {
    private FaceBench() {}

    /** What {@code bench faces} runs on: the clip, the models, and how it samples and enrols. */
    public record Options(Path video, Path detector, Path embedder, Path personModel, Path out, int stride,
                          int enrolFrame, long checkpointMs) {}

    public static int run(Options options) throws Exception {
        Path video = options.video();
        Path detectorPath = options.detector();
        Path embedderPath = options.embedder();
        Path personModel = options.personModel();
        Path out = options.out();
        int stride = options.stride();
        int enrolFrame = options.enrolFrame();
        long checkpointMs = options.checkpointMs();
        FrameFaceDetector detector = io.bitvision.jobs.pipeline.PipelineArgs.faceDetector(detectorPath);
        FaceEmbedder embedder = io.bitvision.jobs.pipeline.PipelineArgs.faceEmbedder(embedderPath);
        float threshold = (float) embedder.calibratedThreshold().orElseThrow(() ->
                new IllegalArgumentException("the face model has no calibrated threshold (match.threshold)"));

        System.out.println("[1/2] components: " + video.getFileName() + ", every " + stride + " frames, one thread");
        List<RgbImage> frames = decode(video, stride, Integer.MAX_VALUE);
        Map<String, Object> components = components(frames, detector, embedder);
        System.out.println("  " + components);

        System.out.println("[2/2] face events: PipelineJob, local MiniCluster, in-process broker, 1 camera");
        RgbImage enrolImage = decode(video, 1, enrolFrame + 1).get(enrolFrame);
        DetectedFace largest = detector.detect(enrolImage.rgb(), enrolImage.height(), enrolImage.width()).stream()
                .max(java.util.Comparator.comparingDouble(f -> f.box().area()))
                .orElseThrow(() -> new IllegalStateException("no face in the enrolment frame"));
        float[] enrolled = embedder.embed(enrolImage.rgb(), enrolImage.height(), enrolImage.width(), largest.landmarks());
        Map<String, Object> events;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            events = events(broker, video, personModel, detector, embedder, threshold, enrolled, checkpointMs);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("video", video.toString());
        report.put("face_detector", detector.id());
        report.put("face_embedder", embedder.id());
        report.put("threshold", threshold);
        report.put("components", components);
        report.put("events", events);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, JsonReports.write(report));
        System.out.println("  " + events);
        System.out.println("wrote " + out);
        return 0;
    }

    /** Every {@code stride}th frame of the first {@code limit}. */
    private static List<RgbImage> decode(Path video, int stride, int limit) throws Exception {
        List<RgbImage> frames = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            grabber.start();
            Frame frame;
            for (int i = 0; i < limit && (frame = grabber.grabImage()) != null; i++) {
                if (i % stride == 0) {
                    java.awt.image.BufferedImage image = converter.convert(frame);
                    frames.add(new RgbImage(image.getWidth(), image.getHeight(), JpegFrames.toRgb(image)));
                }
            }
            grabber.stop();
        }
        return frames;
    }

    private static Map<String, Object> components(List<RgbImage> frames, FrameFaceDetector detector, FaceEmbedder embedder) {
        List<Double> detect = new ArrayList<>();
        List<Double> align = new ArrayList<>();
        List<Double> embed = new ArrayList<>();
        int faces = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (RgbImage f : frames) {
                long t0 = System.nanoTime();
                List<DetectedFace> found = detector.detect(f.rgb(), f.height(), f.width());
                long t1 = System.nanoTime();
                for (DetectedFace face : found) {
                    long a0 = System.nanoTime();
                    float[] crop = AlignedFace.fromLandmarks(f.rgb(), f.height(), f.width(), face.landmarks());
                    long a1 = System.nanoTime();
                    embedder.embedAligned(crop);
                    long a2 = System.nanoTime();
                    if (pass == 1) {
                        align.add((a1 - a0) / 1e6);
                        embed.add((a2 - a1) / 1e6);
                        faces++;
                    }
                }
                if (pass == 1) {
                    detect.add((t1 - t0) / 1e6);
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frames", frames.size());
        m.put("faces", faces);
        m.put("detector_ms_per_frame_p50", round(median(detect)));
        m.put("align_ms_per_face_p50", round(median(align)));
        m.put("embed_ms_per_face_p50", round(median(embed)));
        m.put("embed_faces_per_s", round(1000.0 / Math.max(1e-9, median(embed))));
        return m;
    }

    private static Map<String, Object> events(EmbeddedKafkaBroker broker, Path video, Path personModel,
                                              FrameFaceDetector detector, FaceEmbedder embedder, float threshold,
                                              float[] enrolled, long checkpointMs) throws Exception {
        Topics topics = new Topics("bench.faces.masks", "bench.faces.health", "bench.faces.dead", "bench.faces.faces");
        String watchlist = "bench.faces.watchlist";
        BenchTopics.createLogAppendTime(broker, topics);
        broker.createTopics(1, watchlist);
        List<Float> embedding = new ArrayList<>();
        for (float v : enrolled) {
            embedding.add(v);
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            WatchlistUpdate update = WatchlistUpdate.newBuilder().setIdentityId("enrolled").setOp(WatchlistOp.UPSERT)
                    .setVersion(1).setEmbeddings(List.of(embedding)).setModelId(embedder.id())
                    .setUpdatedTimeMs(Instant.now()).build();
            producer.send(new ProducerRecord<>(watchlist, "enrolled".getBytes(), AvroRecords.encode(update))).get();
        }
        PipelineConfig config = PipelineConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topics(topics)
                .camera("clip", video.toString())
                .model(ModelRef.ofFile(personModel), "person")
                .watchlist(watchlist, threshold, 24)
                .faceEmbedder(embedder)
                .faceDetector(detector)
                .checkpointInterval(Duration.ofMillis(checkpointMs))
                .transactionalIdPrefix("bench-faces")
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        PipelineJob.define(env, config);
        List<CommitWatcher.Seen> faces;
        List<CommitWatcher.Seen> masks;
        try (CommitWatcher faceWatcher = new CommitWatcher(broker.bootstrapServers(), topics.faces(), 1);
             CommitWatcher maskWatcher = new CommitWatcher(broker.bootstrapServers(), topics.masks(), 1)) {
            long start = System.currentTimeMillis();
            JobClient job = env.executeAsync("bitvision bench faces");
            var finished = job.getJobExecutionResult();
            while (!finished.isDone()) {
                try {
                    finished.get(1, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    System.out.printf(Locale.ROOT, "    %5.1f s: %d frames, %d face events committed%n",
                            (System.currentTimeMillis() - start) / 1e3, maskWatcher.count(), faceWatcher.count());
                }
            }
            finished.get();
            Thread.sleep(2000);
            faces = faceWatcher.seen();
            masks = maskWatcher.seen();
        }
        Map<Long, Long> ingestByFrame = new HashMap<>();
        for (CommitWatcher.Seen s : masks) {
            FrameMasks m = AvroRecords.decode(s.record().value(), FrameMasks.class);
            ingestByFrame.put(m.getFrameSeq(), m.getIngestTimeMs().toEpochMilli());
        }
        List<Double> visible = new ArrayList<>();
        List<Double> append = new ArrayList<>();
        for (CommitWatcher.Seen s : faces) {
            ConsumerRecord<byte[], byte[]> r = s.record();
            FaceMatch e = AvroRecords.decode(r.value(), FaceMatch.class);
            Long ingest = ingestByFrame.get(e.getFrameSeq());
            if (ingest != null) {
                visible.add((double) (s.visibleMs() - ingest));
                append.add((double) (r.timestamp() - ingest));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frames", masks.size());
        m.put("face_events", faces.size());
        m.put("checkpoint_ms", checkpointMs);
        m.put("visible_latency_ms_p50", round(median(visible)));
        m.put("visible_latency_ms_max", round(visible.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
        m.put("append_latency_ms_p50", round(median(append)));
        m.put("append_latency_ms_max", round(append.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
        return m;
    }

    private static double median(List<Double> values) {
        return Percentiles.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
