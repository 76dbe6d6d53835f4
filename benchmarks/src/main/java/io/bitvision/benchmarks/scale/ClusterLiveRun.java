package io.bitvision.benchmarks.scale;

import io.bitvision.benchmarks.live.LiveRun;
import io.bitvision.localcluster.FlinkRest;
import io.bitvision.localcluster.JobSubmission;
import io.bitvision.localcluster.LocalCluster;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.operators.source.split.InputKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobStatus;

/**
 * The pipeline job submitted to the local standalone cluster ({@code ./bitvision cluster up}) with Flink's CLI, the
 * way an operator runs it, at parallelism 1, so it takes one TaskManager slot: {@code cameras} {@code replay:}
 * cameras of one video, ids {@code PREFIX-cam-NN} (the cluster's topics are shared between runs, the ids keep the
 * runs apart). {@link #close()} cancels it with {@code flink cancel} and waits until it is gone.
 */
final class ClusterLiveRun implements LiveRun {
    private final LocalCluster cluster;
    private final FlinkRest rest;
    private final String jobId;
    private final List<String> cameraIds;
    private final Path workDir;

    private ClusterLiveRun(LocalCluster cluster, FlinkRest rest, String jobId, List<String> cameraIds, Path workDir) {
        this.cluster = cluster;
        this.rest = rest;
        this.jobId = jobId;
        this.cameraIds = cameraIds;
        this.workDir = workDir;
    }

    static ClusterLiveRun submit(LocalCluster cluster, Path jobJar, String prefix, Path video, int cameras, Path model,
                                 Duration checkpointInterval) throws Exception {
        List<String> ids = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of("--bootstrap", cluster.endpoints().bootstrap(),
                "--parallelism", "1", "--checkpoint-ms", Long.toString(checkpointInterval.toMillis()),
                "--transactional-id-prefix", prefix));
        for (int i = 1; i <= cameras; i++) {
            String id = String.format("%s-cam-%02d", prefix, i);
            ids.add(id);
            args.addAll(List.of("--camera", id + "=" + InputKind.REPLAY_PREFIX + video.toAbsolutePath()));
        }
        if (model != null) {
            args.addAll(List.of("--model", model.toAbsolutePath().toString()));
        } else {
            args.add("--stand-in-model");
        }
        Path workDir = Path.of("").toAbsolutePath();
        String jobId = JobSubmission.submitDetached(cluster, jobJar, args, workDir);
        return new ClusterLiveRun(cluster, cluster.rest(), jobId, List.copyOf(ids), workDir);
    }

    @Override
    public Topics topics() {
        return Topics.defaults();
    }

    @Override
    public List<String> cameraIds() {
        return cameraIds;
    }

    /** The job's status; FAILED only when the REST API says so or cannot be asked three times in a row. */
    @Override
    public JobStatus status() {
        for (int attempt = 1; ; attempt++) {
            java.util.Optional<JobStatus> known = knownStatus();
            if (known.isPresent() || attempt == 3) {
                return known.orElse(JobStatus.FAILED);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return JobStatus.FAILED;
            }
        }
    }

    private java.util.Optional<JobStatus> knownStatus() {
        try {
            return java.util.Optional.of(JobStatus.valueOf(rest.jobState(jobId)));
        } catch (Exception e) {
            return java.util.Optional.empty();
        }
    }

    /** The newest entry of the job's exception history (Flink 2's REST {@code /jobs/ID/exceptions}), or null. */
    @Override
    public Object failure() {
        try {
            var entries = rest.get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
            if (entries.isEmpty()) {
                return null;
            }
            var newest = entries.get(0);
            String trace = newest.path("stacktrace").asText("");
            int eol = trace.indexOf('\n');
            return newest.path("exceptionName").asText("") + ": " + (eol > 0 ? trace.substring(0, eol) : trace);
        } catch (Exception e) {
            return "(exceptions not readable: " + e + ")";
        }
    }

    String jobId() {
        return jobId;
    }

    /** Cancels the job unless the REST API says it has ended, then waits up to 60 s until it says so. */
    @Override
    public void close() throws Exception {
        if (!knownStatus().map(JobStatus::isGloballyTerminalState).orElse(false)) {
            try {
                JobSubmission.flink(cluster, List.of("cancel", jobId), workDir);
            } catch (IllegalStateException | java.io.IOException e) {
                // Ended meanwhile, or the CLI failed: the wait below tells which.
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!knownStatus().map(JobStatus::isGloballyTerminalState).orElse(false)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + jobId + " still not ended 60 s after flink cancel");
            }
            Thread.sleep(200);
        }
    }
}
