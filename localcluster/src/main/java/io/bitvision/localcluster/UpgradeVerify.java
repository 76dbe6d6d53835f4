package io.bitvision.localcluster;

import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.engine.track.IouTracker;
import io.bitvision.testkit.audit.CommittedRecords;
import io.bitvision.operators.faces.ColourLayoutEmbedder;
import io.bitvision.operators.inference.DarkRegionsModel;
import io.bitvision.operators.inference.FrameAnalyzer;
import io.bitvision.operators.inference.TrackedInstance;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.FaceMatch;
import io.bitvision.schemas.FrameMasks;
import io.bitvision.schemas.WatchlistOp;
import io.bitvision.schemas.WatchlistUpdate;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * An upgrade with a rescale on the local cluster, the way an operator does it: the job runs at parallelism 1;
 * mid-stream {@code flink stop --savepointPath DIR JOB} (stop-with-savepoint: the last transactions are committed,
 * then the job ends), then {@code flink run -d -s SAVEPOINT JAR ... --parallelism 2}: the job jar again (a new version
 * takes the same path: operator uids are fixed), resumed from the savepoint at twice the parallelism, so keyed state
 * (trackers) and the camera positions are redistributed. The mask topic is audited as in {@link FailoverVerify}.
 *
 * <p>The restored job is a changed version of the job: {@code --job-version 1} before, {@code --job-version 2} after
 * (in the job's name), half the checkpoint interval, twice the parallelism, and one operator more: version 2 counts
 * people per block of frames ({@code --activity-block-frames}, operator uid {@code camera-activity}), which the
 * savepoint has no state for; the operators both versions have keep their uids and their state. The added operator
 * must publish, per camera, exactly the blocks of the frames the restored job processed (the first one partial). Face
 * matching is on ({@code --watchlist-topic}, the colour-layout test embedder: the client runs in the clip directory,
 * where no default face models are found): one identity, enrolled from a late frame of the clip before the first
 * run, must still be matched after the restore although the restored job's watchlist source reads nothing (its
 * offsets, and the watchlist in the face-match operator's broadcast state, come from the savepoint). Track ids: the
 * objects of each camera's last frame before the stop keep their ids in its first frame after it, and tracks that
 * start after the restore are numbered above every id that camera had before.
 */
public final class UpgradeVerify {
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");

    private UpgradeVerify() {}

    /** @param stopAtFraction stop with a savepoint once this share of the expected records is committed */
    public record Options(Path video, int frames, int cameras, int parallelismBefore, int parallelismAfter,
                          long checkpointMs, double stopAtFraction, Path jobJar, Path model, Path clipDir, Path workDir,
                          java.time.Duration timeout) {}

    public record Result(long expected, int seen, int duplicates, long gaps, int outOfOrder, int seenAtStop,
                         String savepoint, int parallelismBefore, int parallelismAfter, int parallelismRunning,
                         double stopSeconds, Double resumeSeconds, String finalState, String jobBefore, String jobAfter,
                         Changed changed, TrackIds trackIds, WatchlistCarried watchlist, AddedOperator added) {
        public boolean exactlyOnce() {
            return "FINISHED".equals(finalState) && duplicates == 0 && gaps == 0 && seen == expected;
        }

        /** Exactly once, and the job changed, and track ids and the watchlist carried over. */
        public boolean passed() {
            return exactlyOnce() && changed.ok() && trackIds.ok() && watchlist.ok() && added.ok();
        }

        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("expected", expected);
            json.put("seen", seen);
            json.put("duplicates", duplicates);
            json.put("gaps", gaps);
            json.put("out_of_order", outOfOrder);
            json.put("seen_at_stop", seenAtStop);
            json.put("parallelism_before", parallelismBefore);
            json.put("parallelism_after", parallelismAfter);
            json.put("parallelism_running_after", parallelismRunning);
            json.put("stop_with_savepoint_s", stopSeconds);
            json.put("resume_s", resumeSeconds);
            json.put("savepoint", savepoint);
            json.put("job_state", finalState);
            json.put("job_before", jobBefore);
            json.put("job_after", jobAfter);
            json.put("changed", changed.toJson());
            json.put("track_ids_carried", trackIds.toJson());
            json.put("watchlist_carried", watchlist.toJson());
            json.put("added_operator", added.toJson());
            json.put("passed", passed());
            Map<String, Object> definitions = new LinkedHashMap<>();
            definitions.put("seen", "mask records of this run's cameras read back by a read_committed consumer");
            definitions.put("gaps", "frame numbers 0..frames-1 with no record, summed over cameras");
            definitions.put("stop_with_savepoint_s", "duration of `flink stop --savepointPath` (client call)");
            definitions.put("resume_s", "`flink run -s` called -> first committed mask record of the new job at the consumer");
            definitions.put("parallelism_running_after", "the restored job's largest vertex parallelism (REST /jobs/ID)");
            definitions.put("changed", "job name (--job-version), checkpoint interval (REST /jobs/ID/checkpoints/config) "
                    + "and parallelism of the two jobs differ; the restored job was restored from the savepoint");
            definitions.put("track_ids_carried", "per camera: ids of the last frame committed before the stop found again in "
                    + "the first frame after it; tracks first seen after the restore all numbered above the camera's "
                    + "largest id before it (at least one such track over all cameras)");
            definitions.put("watchlist_carried", "the restored job's watchlist source emitted no record (REST write-records), "
                    + "the first job's did, and face-match events for the identity enrolled before the first run came "
                    + "from frames after the restore");
            definitions.put("added_operator", "version 2 only: the operator is in the restored job's graph and not in the "
                    + "first; per camera its CameraActivity blocks are exactly those from the block holding the first frame "
                    + "after the stop to the last complete block, each once, and their processed frames add up to the "
                    + "frames the restored job processed in them");
            json.put("definitions", definitions);
            return json;
        }
    }

    /** The operator version 2 adds (activity counts) and what it published. */
    public record AddedOperator(String uid, String topic, int blockFrames, boolean inJobBefore, boolean inJobAfter,
                                int blocks, int expectedBlocks, int duplicateBlocks, long framesCounted,
                                long framesExpected) {
        public boolean ok() {
            return !inJobBefore && inJobAfter && blocks > 0 && blocks == expectedBlocks && duplicateBlocks == 0
                    && framesCounted == framesExpected;
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("ok", ok());
            json.put("uid", uid);
            json.put("topic", topic);
            json.put("block_frames", blockFrames);
            json.put("in_job_before", inJobBefore);
            json.put("in_job_after", inJobAfter);
            json.put("blocks", blocks);
            json.put("expected_blocks", expectedBlocks);
            json.put("duplicate_blocks", duplicateBlocks);
            json.put("frames_counted", framesCounted);
            json.put("frames_expected", framesExpected);
            return json;
        }
    }

    /** What differs between the job before the stop and the job restored from the savepoint. */
    public record Changed(String nameBefore, String nameAfter, long intervalBeforeMs, long intervalAfterMs,
                          int parallelismBefore, int parallelismAfter, boolean restoredFromSavepoint) {
        public boolean ok() {
            return !nameBefore.equals(nameAfter) && intervalBeforeMs != intervalAfterMs && restoredFromSavepoint;
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("ok", ok());
            json.put("job_name_before", nameBefore);
            json.put("job_name_after", nameAfter);
            json.put("checkpoint_interval_ms_before", intervalBeforeMs);
            json.put("checkpoint_interval_ms_after", intervalAfterMs);
            json.put("parallelism_before", parallelismBefore);
            json.put("parallelism_after", parallelismAfter);
            json.put("restored_from_savepoint", restoredFromSavepoint);
            return json;
        }
    }

    /** Track ids across the restore, per camera and summed. */
    public record TrackIds(Map<String, Map<String, Object>> perCamera, int continued, int lastFrameObjects,
                           int newTracksAfter, int renumbered) {
        public boolean ok() {
            boolean everyCamera = perCamera.values().stream().allMatch(c -> Boolean.TRUE.equals(c.get("ok")));
            return !perCamera.isEmpty() && everyCamera && newTracksAfter > 0 && renumbered == 0;
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("ok", ok());
            json.put("last_frame_objects", lastFrameObjects);
            json.put("continued_in_first_frame_after", continued);
            json.put("new_tracks_after", newTracksAfter);
            json.put("new_tracks_not_above_max_before", renumbered);
            json.put("cameras", perCamera);
            return json;
        }
    }

    /** The watchlist across the restore. */
    public record WatchlistCarried(String topic, String identity, int enrolledFrame, long watchlistRecordsBefore,
                                   long watchlistRecordsAfter, int matchesBefore, int matchesAfter) {
        public boolean ok() {
            return watchlistRecordsBefore > 0 && watchlistRecordsAfter == 0 && matchesAfter > 0;
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("ok", ok());
            json.put("topic", topic);
            json.put("identity", identity);
            json.put("enrolled_from_frame", enrolledFrame);
            json.put("watchlist_source_records_before", watchlistRecordsBefore);
            json.put("watchlist_source_records_after", watchlistRecordsAfter);
            json.put("face_matches_before_stop", matchesBefore);
            json.put("face_matches_after_restore", matchesAfter);
            return json;
        }
    }

    public static Result run(LocalCluster cluster, Options o, PrintStream log) throws Exception {
        LocalCluster.Endpoints endpoints = cluster.endpoints();
        FlinkRest rest = new FlinkRest(endpoints.restUrl());
        Topics topics = Topics.defaults();
        CheckRun run = CheckRun.prepare("upgrade", o.video(), o.frames(), o.clipDir(), o.cameras());
        Path clip = run.clip();
        int framesPerCamera = run.framesPerCamera();
        long expected = run.expected();
        String watchlistTopic = run.id() + ".watchlist";
        String activityTopic = run.id() + ".activity";
        int blockFrames = Math.max(2, framesPerCamera / 6);
        String identity = run.id() + "-enrolled";
        List<String> cameras = run.cameras();
        List<String> args = run.jobArgs(endpoints.bootstrap(), o.model(), "--watchlist-topic", watchlistTopic,
                "--test-embedder");
        // The client runs main() here: no models/ directory, so no default face models; the test embedder is asked for.
        Path submitDir = o.clipDir().toAbsolutePath();
        long intervalAfter = Math.max(100, o.checkpointMs() / 2);
        log.printf(Locale.ROOT, "upgrade check: %d cameras x %d frames = %d expected mask records, parallelism %d -> %d, "
                        + "job version 1 -> 2, checkpoint interval %d -> %d ms%n", o.cameras(), framesPerCamera, expected,
                o.parallelismBefore(), o.parallelismAfter(), o.checkpointMs(), intervalAfter);
        int enrolledFrame = (int) Math.min(framesPerCamera - 1, Math.round(framesPerCamera * 0.8));
        enrol(endpoints.bootstrap(), watchlistTopic, identity, clip, enrolledFrame, o.model());
        createTopic(endpoints.bootstrap(), activityTopic, 2);
        log.printf(Locale.ROOT, "enrolled %s on %s from frame %d (colour-layout test embedder)%n", identity,
                watchlistTopic, enrolledFrame);

        try (FailoverVerify.CommitWatch watch = new FailoverVerify.CommitWatch(endpoints.bootstrap(), topics.masks(),
                Set.copyOf(cameras))) {
            long deadline = System.nanoTime() + o.timeout().toNanos();
            List<String> before = new ArrayList<>(args);
            before.addAll(List.of("--parallelism", Integer.toString(o.parallelismBefore()),
                    "--checkpoint-ms", Long.toString(o.checkpointMs()), "--job-version", "1"));
            String jobBefore = JobSubmission.submitDetached(cluster, o.jobJar(), before, submitDir);
            log.println("submitted job " + jobBefore + " (version 1) at parallelism " + o.parallelismBefore());
            int stopAt = (int) Math.max(1, Math.round(expected * o.stopAtFraction()));
            while (watch.seen() < stopAt) {
                String state = rest.jobState(jobBefore);
                if (FailoverVerify.isTerminal(state)) {
                    throw new IllegalStateException("job " + jobBefore + " " + state + " before the savepoint");
                }
                FailoverVerify.checkDeadline(deadline, o.timeout(), "waiting for " + stopAt + " committed records");
                Thread.sleep(100);
            }
            long stopStarted = System.nanoTime();
            String stopOutput = JobSubmission.flink(cluster, List.of("stop", "--savepointPath",
                    cluster.settings().stateDir().resolve("savepoints").toUri().toString(), jobBefore), submitDir);
            double stopSeconds = (System.nanoTime() - stopStarted) / 1e9;
            Matcher m = SAVEPOINT.matcher(stopOutput);
            if (!m.find()) {
                throw new IllegalStateException("flink stop printed no savepoint path:\n" + stopOutput);
            }
            String savepoint = m.group(1);
            int seenAtStop = watch.seen();
            log.printf(Locale.ROOT, "stopped %s with a savepoint after %d of %d records (%.1f s): %s%n", jobBefore,
                    seenAtStop, expected, stopSeconds, savepoint);
            // Everything committed so far is the first job's: each camera's frames before the stop.
            Map<String, Long> framesBefore = new TreeMap<>();
            for (FrameMasks f : masksOf(endpoints.bootstrap(), topics.masks(), cameras)) {
                framesBefore.merge(f.getCameraId(), f.getFrameSeq() + 1, Math::max);
            }
            JsonNode before1 = rest.get("/jobs/" + jobBefore);

            List<String> after = new ArrayList<>(args);
            after.addAll(List.of("--parallelism", Integer.toString(o.parallelismAfter()),
                    "--checkpoint-ms", Long.toString(intervalAfter), "--job-version", "2",
                    "--activity-block-frames", Integer.toString(blockFrames), "--activity-topic", activityTopic));
            long resumeCalledMs = System.currentTimeMillis();
            String jobAfter = JobSubmission.submitDetached(cluster, List.of("-s", savepoint), o.jobJar(), after, submitDir);
            log.println("resumed as job " + jobAfter + " (version 2) from the savepoint at parallelism " + o.parallelismAfter());
            String state;
            int parallelismRunning = 0;
            JsonNode job;
            while (true) {
                job = rest.get("/jobs/" + jobAfter);
                state = job.path("state").asText();
                for (JsonNode v : job.path("vertices")) {
                    parallelismRunning = Math.max(parallelismRunning, v.path("parallelism").asInt());
                }
                if (FailoverVerify.isTerminal(state)) {
                    break;
                }
                FailoverVerify.checkDeadline(deadline, o.timeout(), "waiting for the resumed job to finish");
                Thread.sleep(200);
            }
            long firstNew = watch.firstArrivalAtOrAfter(resumeCalledMs);
            FailoverVerify.Audit audit = FailoverVerify.Audit.read(endpoints.bootstrap(), topics.masks(), cameras,
                    framesPerCamera);
            log.printf(Locale.ROOT, "job %s %s%n", jobAfter, state);

            JsonNode restored = rest.get("/jobs/" + jobAfter + "/checkpoints").path("latest").path("restored");
            Changed changed = new Changed(before1.path("name").asText(), job.path("name").asText(),
                    rest.get("/jobs/" + jobBefore + "/checkpoints/config").path("interval").asLong(),
                    rest.get("/jobs/" + jobAfter + "/checkpoints/config").path("interval").asLong(),
                    o.parallelismBefore(), parallelismRunning,
                    restored.path("is_savepoint").asBoolean(false)
                            && restored.path("external_path").asText().contains(lastSegment(savepoint)));
            TrackIds trackIds = trackIds(masksOf(endpoints.bootstrap(), topics.masks(), cameras), framesBefore);
            List<FaceMatch> matches = facesOf(endpoints.bootstrap(), topics.faces(), cameras, identity);
            int matchesAfter = (int) matches.stream()
                    .filter(f -> f.getFrameSeq() >= framesBefore.getOrDefault(f.getCameraId(), 0L)).count();
            WatchlistCarried watchlist = new WatchlistCarried(watchlistTopic, identity, enrolledFrame,
                    watchlistRecords(before1), watchlistRecords(job), matches.size() - matchesAfter, matchesAfter);
            AddedOperator added = addedOperator(endpoints.bootstrap(), activityTopic, blockFrames, cameras,
                    framesBefore, framesPerCamera, hasVertex(before1, ACTIVITY_VERTEX), hasVertex(job, ACTIVITY_VERTEX));
            log.printf(Locale.ROOT, "changed %s, track ids carried %s, watchlist carried %s, added operator %s (%d of %d "
                    + "blocks)%n", changed.ok(), trackIds.ok(), watchlist.ok(), added.ok(), added.blocks(),
                    added.expectedBlocks());
            return new Result(expected, audit.seen(), audit.duplicates(), audit.gaps(), audit.outOfOrder(), seenAtStop,
                    savepoint, o.parallelismBefore(), o.parallelismAfter(), parallelismRunning, stopSeconds,
                    firstNew > 0 ? (firstNew - resumeCalledMs) / 1000.0 : null, state, jobBefore, jobAfter,
                    changed, trackIds, watchlist, added);
        }
    }

    private static final String ACTIVITY_VERTEX = "camera-activity";

    private static boolean hasVertex(JsonNode job, String name) {
        for (JsonNode v : job.path("vertices")) {
            if (v.path("name").asText().contains(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The activity blocks of this run's cameras against what the restored job must have published: blocks
     * {@code floor(stop / B)} to {@code frames / B - 1} (the last partial block stays open when the file ends), and in
     * them the frames from {@code stop} on.
     */
    static AddedOperator addedOperator(String bootstrap, String topic, int blockFrames, List<String> cameras,
                                       Map<String, Long> framesBefore, int framesPerCamera, boolean inBefore,
                                       boolean inAfter) {
        Set<String> seen = new java.util.HashSet<>();
        int blocks = 0;
        int duplicates = 0;
        long counted = 0;
        for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.readAll(bootstrap, new Properties(),
                java.time.Duration.ofSeconds(60), topic).get(topic)) {
            io.bitvision.schemas.CameraActivity a = AvroRecords.decode(r.value(), io.bitvision.schemas.CameraActivity.class);
            if (!cameras.contains(a.getCameraId())) {
                continue;
            }
            blocks++;
            if (!seen.add(a.getCameraId() + "/" + a.getFirstFrameSeq())) {
                duplicates++;
            }
            counted += a.getFramesProcessed();
        }
        int expectedBlocks = 0;
        long expectedFrames = 0;
        long lastFullBlock = framesPerCamera / blockFrames - 1;
        for (String camera : cameras) {
            long stop = framesBefore.getOrDefault(camera, 0L);
            long firstBlock = stop / blockFrames;
            if (lastFullBlock >= firstBlock) {
                expectedBlocks += (int) (lastFullBlock - firstBlock + 1);
                expectedFrames += (lastFullBlock + 1) * blockFrames - stop;
            }
        }
        return new AddedOperator(ACTIVITY_VERTEX, topic, blockFrames, inBefore, inAfter, blocks, expectedBlocks,
                duplicates, counted, expectedFrames);
    }

    private static String lastSegment(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** Records the watchlist source vertex of a job sent on (REST write-records), summed over its vertices. */
    private static long watchlistRecords(JsonNode job) {
        long records = 0;
        boolean found = false;
        for (JsonNode v : job.path("vertices")) {
            if (v.path("name").asText().contains("Source: watchlist")) {
                records += v.path("metrics").path("write-records").asLong();
                found = true;
            }
        }
        return found ? records : -1;
    }

    static TrackIds trackIds(List<FrameMasks> masks, Map<String, Long> framesBefore) {
        Map<String, Map<Long, List<Long>>> byCamera = new TreeMap<>();
        for (FrameMasks f : masks) {
            byCamera.computeIfAbsent(f.getCameraId(), k -> new TreeMap<>()).put(f.getFrameSeq(),
                    f.getInstances().stream().map(i -> i.getTrackId()).toList());
        }
        Map<String, Map<String, Object>> perCamera = new TreeMap<>();
        int continued = 0;
        int lastObjects = 0;
        int newAfter = 0;
        int renumbered = 0;
        for (Map.Entry<String, Map<Long, List<Long>>> e : byCamera.entrySet()) {
            long stop = framesBefore.getOrDefault(e.getKey(), 0L);
            Map<Long, List<Long>> frames = e.getValue();
            List<Long> lastBefore = frames.getOrDefault(stop - 1, List.of());
            List<Long> firstAfter = frames.getOrDefault(stop, List.of());
            Set<Long> seenBefore = new java.util.HashSet<>();
            frames.forEach((seq, ids) -> {
                if (seq < stop) {
                    seenBefore.addAll(ids);
                }
            });
            long maxBefore = seenBefore.stream().mapToLong(Long::longValue).max().orElse(-1);
            List<Long> fresh = frames.entrySet().stream().filter(f -> f.getKey() >= stop)
                    .flatMap(f -> f.getValue().stream()).filter(id -> !seenBefore.contains(id)).distinct().toList();
            int kept = (int) lastBefore.stream().filter(firstAfter::contains).count();
            int low = (int) fresh.stream().filter(id -> id <= maxBefore).count();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("ok", stop > 0 && !lastBefore.isEmpty() && kept > 0 && low == 0);
            c.put("frames_before_stop", stop);
            c.put("last_frame_before_ids", lastBefore);
            c.put("first_frame_after_ids", firstAfter);
            c.put("max_id_before", maxBefore);
            c.put("new_ids_after", fresh);
            perCamera.put(e.getKey(), c);
            continued += kept;
            lastObjects += lastBefore.size();
            newAfter += fresh.size();
            renumbered += low;
        }
        return new TrackIds(perCamera, continued, lastObjects, newAfter, renumbered);
    }

    private static List<FrameMasks> masksOf(String bootstrap, String topic, List<String> cameras) {
        List<FrameMasks> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.readAll(bootstrap, new Properties(),
                java.time.Duration.ofSeconds(60), topic).get(topic)) {
            FrameMasks f = AvroRecords.decode(r.value(), FrameMasks.class);
            if (cameras.contains(f.getCameraId())) {
                out.add(f);
            }
        }
        return out;
    }

    private static List<FaceMatch> facesOf(String bootstrap, String topic, List<String> cameras, String identity) {
        List<FaceMatch> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.readAll(bootstrap, new Properties(),
                java.time.Duration.ofSeconds(60), topic).get(topic)) {
            FaceMatch f = AvroRecords.decode(r.value(), FaceMatch.class);
            if (cameras.contains(f.getCameraId()) && identity.equals(f.getIdentityId())) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * Creates the watchlist topic and publishes one identity: the colour-layout embedding of the largest object the
     * person model finds in frame {@code frame} of the clip (the embedder the job uses without face models).
     */
    private static void enrol(String bootstrap, String topic, String identity, Path clip, int frame, Path modelFile)
            throws Exception {
        byte[] rgb;
        int height;
        int width;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(clip.toFile());
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            grabber.start();
            Frame f = null;
            for (int i = 0; i <= frame; i++) {
                f = grabber.grabImage();
            }
            java.awt.image.BufferedImage image = converter.convert(f);
            height = image.getHeight();
            width = image.getWidth();
            rgb = new byte[height * width * 3];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int p = image.getRGB(x, y);
                    rgb[(y * width + x) * 3] = (byte) (p >> 16);
                    rgb[(y * width + x) * 3 + 1] = (byte) (p >> 8);
                    rgb[(y * width + x) * 3 + 2] = (byte) p;
                }
            }
            grabber.stop();
        }
        Model model = modelFile != null ? ModelReader.read(modelFile) : DarkRegionsModel.build(576, 768, 70);
        TrackedInstance largest = new FrameAnalyzer(model, 256L << 20, 6)
                .analyze(rgb, height, width, 0, io.bitvision.operators.inference.PersonTracking.newTracker()).stream()
                .max(java.util.Comparator.comparingLong(t -> t.instance().area()))
                .orElseThrow(() -> new IllegalStateException("no object in frame " + frame + " of " + clip + " to enrol"));
        List<Float> embedding = new ArrayList<>();
        for (float v : new ColourLayoutEmbedder().embed(rgb, height, width, largest.instance().box())) {
            embedding.add(v);
        }
        createTopic(bootstrap, topic, 1);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, identity.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    AvroRecords.encode(WatchlistUpdate.newBuilder().setIdentityId(identity).setOp(WatchlistOp.UPSERT)
                            .setVersion(1).setEmbeddings(List.of(embedding)).setModelId(ColourLayoutEmbedder.ID)
                            .setUpdatedTimeMs(java.time.Instant.now()).build()))).get(30, TimeUnit.SECONDS);
        }
    }

    private static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Writes the check's report (bench-results/upgrade.json by default). */
    public static void write(Result result, Path out) throws java.io.IOException {
        CheckRun.writeReport(result.toJson(), out);
    }
}
