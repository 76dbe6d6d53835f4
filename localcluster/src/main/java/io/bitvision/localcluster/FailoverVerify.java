package io.bitvision.localcluster;

import io.bitvision.testkit.audit.CommittedRecords;
import io.bitvision.testkit.audit.MaskAudit;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.FrameMasks;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The failover check on the local cluster: the job (submitted with {@code flink run -d}) reads a few file cameras
 * of a finite clip; once a read_committed consumer has seen a share of the expected records, one TaskManager that
 * runs part of the job gets SIGKILL. The job restarts from its last checkpoint on the surviving TaskManager (two
 * slots each, parallelism 2, so the survivor can carry the whole job), runs to the end of the clips, and the mask
 * topic is audited: exactly one committed record per (camera, frame), none missing.
 *
 * <p>{@code recovery_s}: seconds from the SIGKILL until the read_committed consumer receives the first mask record
 * committed by the restarted job, i.e. the first record arriving after the first checkpoint that completed after the
 * restore (Flink's REST API, /jobs/ID/checkpoints). It covers failure detection, restart delay, redeployment, state
 * restore and one checkpoint interval.
 */
public final class FailoverVerify {
    private FailoverVerify() {}

    /**
     * @param video          the source video; cut to {@code frames} frames when {@code frames > 0}
     * @param killAtFraction SIGKILL once this share of the expected records is committed
     * @param model          model file for the job, or null for the job's own default
     * @param workDir        the submitting client's working directory
     */
    public record Options(Path video, int frames, int cameras, int parallelism, long checkpointMs,
                          double killAtFraction, Path jobJar, Path model, Path clipDir, Path workDir, Duration timeout) {}

    /** What was measured; {@link #toJson()} is bench-results/failover.json. */
    public record Result(long expected, int seen, int duplicates, long gaps, int outOfOrder, Double recoverySeconds,
                         Double restartedSeconds, Double firstCheckpointSeconds, int framesPerCamera, List<String> cameras,
                         String killedTaskManager, long killedPid, int seenAtKill, long restarts, String finalState,
                         double jobSeconds, String jobId) {
        public boolean exactlyOnce() {
            return "FINISHED".equals(finalState) && duplicates == 0 && gaps == 0 && seen == expected;
        }

        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("expected", expected);
            json.put("seen", seen);
            json.put("duplicates", duplicates);
            json.put("gaps", gaps);
            json.put("recovery_s", recoverySeconds);
            json.put("out_of_order", outOfOrder);
            json.put("cameras", cameras.size());
            json.put("frames_per_camera", framesPerCamera);
            json.put("killed", killedTaskManager + " (pid " + killedPid + ", SIGKILL)");
            json.put("seen_at_kill", seenAtKill);
            json.put("restarts", restarts);
            json.put("restarted_s", restartedSeconds);
            json.put("first_checkpoint_after_restore_s", firstCheckpointSeconds);
            json.put("job_state", finalState);
            json.put("job_s", jobSeconds);
            json.put("job_id", jobId);
            Map<String, Object> definitions = new LinkedHashMap<>();
            definitions.put("expected", "frames per camera (decoded from the clip) x cameras");
            definitions.put("seen", "mask records of this run's cameras read back by a read_committed consumer");
            definitions.put("duplicates", "records whose (camera, frame_seq) was already seen");
            definitions.put("gaps", "frame numbers 0..frames-1 with no record, summed over cameras");
            definitions.put("recovery_s", "SIGKILL -> first committed mask record of the restarted job at the consumer "
                    + "(first arrival after the first checkpoint completed after the restore)");
            definitions.put("restarted_s", "SIGKILL -> the job's last restore from a checkpoint (REST /jobs/ID/checkpoints)");
            definitions.put("first_checkpoint_after_restore_s", "SIGKILL -> that checkpoint's completion");
            json.put("definitions", definitions);
            return json;
        }
    }

    public static Result run(LocalCluster cluster, Options o, PrintStream log) throws Exception {
        LocalCluster.Endpoints endpoints = cluster.endpoints();
        FlinkRest rest = new FlinkRest(endpoints.restUrl());
        Topics topics = Topics.defaults();

        CheckRun run = CheckRun.prepare("failover", o.video(), o.frames(), o.clipDir(), o.cameras());
        int framesPerCamera = run.framesPerCamera();
        long expected = run.expected();
        List<String> cameras = run.cameras();
        List<String> args = run.jobArgs(endpoints.bootstrap(), o.model(),
                "--parallelism", Integer.toString(o.parallelism()), "--checkpoint-ms", Long.toString(o.checkpointMs()));
        log.printf(Locale.ROOT, "failover check: %d cameras x %d frames of %s = %d expected mask records%n",
                o.cameras(), framesPerCamera, run.clip().getFileName(), expected);

        try (CommitWatch watch = new CommitWatch(endpoints.bootstrap(), topics.masks(), Set.copyOf(cameras))) {
            long submitted = System.nanoTime();
            String jobId = JobSubmission.submitDetached(cluster, o.jobJar(), args, o.workDir());
            log.println("submitted job " + jobId + " with flink run -d " + o.jobJar().getFileName());
            long deadline = submitted + o.timeout().toNanos();

            // Wait for a share of the output, then kill a TaskManager that runs part of the job.
            int killAt = (int) Math.max(1, Math.round(expected * o.killAtFraction()));
            while (watch.seen() < killAt) {
                String state = rest.jobState(jobId);
                if (isTerminal(state)) {
                    throw new IllegalStateException("job " + jobId + " " + state + " before the kill, with " + watch.seen()
                            + " of " + expected + " records committed");
                }
                checkDeadline(deadline, o.timeout(), "waiting for " + killAt + " committed records, have " + watch.seen());
                Thread.sleep(100);
            }
            long restoredBefore = rest.get("/jobs/" + jobId + "/checkpoints").path("counts").path("restored").asLong();
            String victim = busyTaskManager(rest);
            int seenAtKill = watch.seen();
            long killMs = System.currentTimeMillis();
            long pid = cluster.kill(victim);
            log.printf(Locale.ROOT, "SIGKILL to %s (pid %d) with %d of %d records committed%n", victim, pid, seenAtKill, expected);

            // Follow the restore and the first checkpoint completed after it.
            long restoreMs = -1;
            long checkpointDoneMs = -1;
            String state;
            while (true) {
                state = rest.jobState(jobId);
                JsonNode checkpoints = rest.get("/jobs/" + jobId + "/checkpoints");
                JsonNode restored = checkpoints.path("latest").path("restored");
                if (restored.isObject() && restored.path("restore_timestamp").asLong() >= killMs) {
                    long latestRestore = restored.path("restore_timestamp").asLong();
                    if (latestRestore != restoreMs) {
                        restoreMs = latestRestore;
                        checkpointDoneMs = -1;
                    }
                }
                if (restoreMs > 0 && checkpointDoneMs < 0) {
                    checkpointDoneMs = firstCompletedAfter(checkpoints, restoreMs);
                }
                if (isTerminal(state)) {
                    break;
                }
                checkDeadline(deadline, o.timeout(), "waiting for the job to finish after the kill (state " + state + ")");
                Thread.sleep(200);
            }
            double jobSeconds = (System.nanoTime() - submitted) / 1e9;
            JsonNode finalCheckpoints = rest.get("/jobs/" + jobId + "/checkpoints");
            long restarts = finalCheckpoints.path("counts").path("restored").asLong() - restoredBefore;
            if (restoreMs > 0 && checkpointDoneMs < 0) {
                checkpointDoneMs = firstCompletedAfter(finalCheckpoints, restoreMs);
            }
            log.printf(Locale.ROOT, "job %s %s after %.1f s, %d restart(s) from a checkpoint%n", jobId, state, jobSeconds, restarts);

            Audit audit = Audit.read(endpoints.bootstrap(), topics.masks(), cameras, framesPerCamera);
            Double recovery = null;
            if (checkpointDoneMs > 0) {
                long firstArrival = watch.firstArrivalAtOrAfter(checkpointDoneMs);
                recovery = (firstArrival > 0 ? firstArrival - killMs : checkpointDoneMs - killMs) / 1000.0;
            }
            return new Result(expected, audit.seen(), audit.duplicates(), audit.gaps(), audit.outOfOrder(), recovery,
                    restoreMs > 0 ? (restoreMs - killMs) / 1000.0 : null,
                    checkpointDoneMs > 0 ? (checkpointDoneMs - killMs) / 1000.0 : null, framesPerCamera, cameras,
                    victim, pid, seenAtKill, restarts, state, jobSeconds, jobId);
        }
    }

    /** What a consumer sees of one run's cameras, read back from the beginning once the job is done. */
    record Audit(int seen, int duplicates, long gaps, int outOfOrder) {
        static Audit read(String bootstrap, String topic, List<String> cameras, int framesPerCamera) {
            Map<String, List<ConsumerRecord<byte[], byte[]>>> read = CommittedRecords.readAll(bootstrap,
                    new Properties(), Duration.ofSeconds(60), topic);
            List<ConsumerRecord<byte[], byte[]>> ours = new ArrayList<>();
            Map<String, Set<Long>> frames = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : read.get(topic)) {
                FrameMasks m = AvroRecords.decode(r.value(), FrameMasks.class);
                if (cameras.contains(m.getCameraId())) {
                    ours.add(r);
                    frames.computeIfAbsent(m.getCameraId(), k -> new HashSet<>()).add(m.getFrameSeq());
                }
            }
            MaskAudit audit = MaskAudit.of(ours);
            long gaps = 0;
            for (String camera : cameras) {
                Set<Long> seqs = frames.getOrDefault(camera, Set.of());
                for (long seq = 0; seq < framesPerCamera; seq++) {
                    if (!seqs.contains(seq)) {
                        gaps++;
                    }
                }
            }
            return new Audit(audit.records(), audit.duplicates(), gaps, audit.outOfOrder());
        }
    }

    /** Completion time of the first checkpoint triggered after {@code afterMs} that completed, or -1. */
    private static long firstCompletedAfter(JsonNode checkpoints, long afterMs) {
        long bestId = Long.MAX_VALUE;
        long done = -1;
        for (JsonNode c : checkpoints.path("history")) {
            if ("COMPLETED".equals(c.path("status").asText()) && c.path("trigger_timestamp").asLong() >= afterMs
                    && c.path("id").asLong() < bestId) {
                bestId = c.path("id").asLong();
                done = c.path("latest_ack_timestamp").asLong();
            }
        }
        return done;
    }

    /** A TaskManager with a slot in use (so killing it hits the job), by resource id. */
    private static String busyTaskManager(FlinkRest rest) throws IOException {
        List<String> busy = new ArrayList<>();
        for (JsonNode tm : rest.get("/taskmanagers").path("taskmanagers")) {
            if (tm.path("freeSlots").asInt() < tm.path("slotsNumber").asInt()) {
                busy.add(tm.path("id").asText());
            }
        }
        if (busy.isEmpty()) {
            throw new IllegalStateException("no TaskManager runs the job");
        }
        busy.sort(null);
        return busy.get(0);
    }

    static boolean isTerminal(String state) {
        return switch (state) {
            case "FINISHED", "FAILED", "CANCELED", "SUSPENDED" -> true;
            default -> false;
        };
    }

    static void checkDeadline(long deadline, Duration timeout, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("timed out after " + timeout + " " + what);
        }
    }

    /**
     * A read_committed consumer on the mask topic from its current end, counting this run's records and noting the
     * wall-clock time each one arrived.
     */
    static final class CommitWatch implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Set<String> cameras;
        private final AtomicInteger seen = new AtomicInteger();
        private final List<Long> arrivals = new ArrayList<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;
        private volatile Exception failure;

        CommitWatch(String bootstrap, String topic, Set<String> cameras) {
            this.cameras = cameras;
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            consumer = new KafkaConsumer<>(p);
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            thread = new Thread(this::poll, "failover-commit-watch");
            thread.setDaemon(true);
            thread.start();
        }

        private void poll() {
            try {
                while (!stop.get()) {
                    var records = consumer.poll(Duration.ofMillis(100));
                    long now = System.currentTimeMillis();
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        if (cameras.contains(AvroRecords.decode(r.value(), FrameMasks.class).getCameraId())) {
                            synchronized (arrivals) {
                                arrivals.add(now);
                            }
                            seen.incrementAndGet();
                        }
                    }
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        int seen() {
            if (failure != null) {
                throw new IllegalStateException("the read_committed watcher failed", failure);
            }
            return seen.get();
        }

        /** Arrival time of the first of this run's records received at or after {@code ms}, or -1. */
        long firstArrivalAtOrAfter(long ms) {
            synchronized (arrivals) {
                return arrivals.stream().filter(t -> t >= ms).findFirst().orElse(-1L);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(5000);
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Writes the result as JSON. */
    public static void write(Result result, Path out) throws IOException {
        CheckRun.writeReport(result.toJson(), out);
    }
}
