package io.bitvision.jobs.cluster;

import io.bitvision.operators.kafka.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * An upgrade with a rescale on the local cluster, the way an operator does it: the job runs at parallelism 1;
 * mid-stream {@code flink stop --savepointPath DIR JOB} (stop-with-savepoint: the last transactions are committed,
 * then the job ends), then {@code flink run -d -s SAVEPOINT JAR ... --parallelism 2}: the job jar again (a new version
 * takes the same path: operator uids are fixed), resumed from the savepoint at twice the parallelism, so keyed state
 * (trackers) and the camera positions are redistributed. The mask topic is audited as in {@link FailoverVerify}.
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
                         double stopSeconds, Double resumeSeconds, String finalState, String jobBefore, String jobAfter) {
        public boolean exactlyOnce() {
            return "FINISHED".equals(finalState) && duplicates == 0 && gaps == 0 && seen == expected;
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
            Map<String, Object> definitions = new LinkedHashMap<>();
            definitions.put("seen", "mask records of this run's cameras read back by a read_committed consumer");
            definitions.put("gaps", "frame numbers 0..frames-1 with no record, summed over cameras");
            definitions.put("stop_with_savepoint_s", "duration of `flink stop --savepointPath` (client call)");
            definitions.put("resume_s", "`flink run -s` called -> first committed mask record of the new job at the consumer");
            definitions.put("parallelism_running_after", "the restored job's largest vertex parallelism (REST /jobs/ID)");
            json.put("definitions", definitions);
            return json;
        }
    }

    public static Result run(LocalCluster cluster, Options o, PrintStream log) throws Exception {
        LocalCluster.Endpoints endpoints = cluster.endpoints();
        FlinkRest rest = new FlinkRest(endpoints.restUrl());
        Topics topics = Topics.defaults();
        Path clip = o.frames() > 0 ? VideoClip.firstFrames(o.video(), o.frames(), o.clipDir()) : o.video();
        int framesPerCamera = VideoClip.countFrames(clip);
        long expected = (long) framesPerCamera * o.cameras();
        String run = Long.toString(System.currentTimeMillis() / 1000 % 1_000_000_000L, 36);
        List<String> cameras = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of("--bootstrap", endpoints.bootstrap(),
                "--checkpoint-ms", Long.toString(o.checkpointMs()),
                "--transactional-id-prefix", "upgrade-" + run));
        for (int i = 0; i < o.cameras(); i++) {
            String id = "upgrade-" + run + "-" + (char) ('a' + i);
            cameras.add(id);
            args.addAll(List.of("--camera", id + "=" + clip.toAbsolutePath()));
        }
        if (o.model() != null) {
            args.addAll(List.of("--model", o.model().toAbsolutePath().toString()));
        }
        log.printf(Locale.ROOT, "upgrade check: %d cameras x %d frames = %d expected mask records, parallelism %d -> %d%n",
                o.cameras(), framesPerCamera, expected, o.parallelismBefore(), o.parallelismAfter());

        try (FailoverVerify.CommitWatch watch = new FailoverVerify.CommitWatch(endpoints.bootstrap(), topics.masks(),
                Set.copyOf(cameras))) {
            long deadline = System.nanoTime() + o.timeout().toNanos();
            List<String> before = new ArrayList<>(args);
            before.addAll(List.of("--parallelism", Integer.toString(o.parallelismBefore())));
            String jobBefore = JobSubmission.submitDetached(cluster, o.jobJar(), before, o.workDir());
            log.println("submitted job " + jobBefore + " at parallelism " + o.parallelismBefore());
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
                    cluster.settings().stateDir().resolve("savepoints").toUri().toString(), jobBefore), o.workDir());
            double stopSeconds = (System.nanoTime() - stopStarted) / 1e9;
            Matcher m = SAVEPOINT.matcher(stopOutput);
            if (!m.find()) {
                throw new IllegalStateException("flink stop printed no savepoint path:\n" + stopOutput);
            }
            String savepoint = m.group(1);
            int seenAtStop = watch.seen();
            log.printf(Locale.ROOT, "stopped %s with a savepoint after %d of %d records (%.1f s): %s%n", jobBefore,
                    seenAtStop, expected, stopSeconds, savepoint);

            List<String> after = new ArrayList<>(args);
            after.addAll(List.of("--parallelism", Integer.toString(o.parallelismAfter())));
            long resumeCalledMs = System.currentTimeMillis();
            String jobAfter = JobSubmission.submitDetached(cluster, List.of("-s", savepoint), o.jobJar(), after, o.workDir());
            log.println("resumed as job " + jobAfter + " from the savepoint at parallelism " + o.parallelismAfter());
            String state;
            int parallelismRunning = 0;
            while (true) {
                JsonNode job = rest.get("/jobs/" + jobAfter);
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
            return new Result(expected, audit.seen(), audit.duplicates(), audit.gaps(), audit.outOfOrder(), seenAtStop,
                    savepoint, o.parallelismBefore(), o.parallelismAfter(), parallelismRunning, stopSeconds,
                    firstNew > 0 ? (firstNew - resumeCalledMs) / 1000.0 : null, state, jobBefore, jobAfter);
        }
    }
}
