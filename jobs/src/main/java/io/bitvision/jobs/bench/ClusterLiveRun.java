package io.bitvision.jobs.bench;

import io.bitvision.jobs.cluster.FlinkRest;
import io.bitvision.jobs.cluster.JobSubmission;
import io.bitvision.jobs.cluster.LocalCluster;
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

    @Override
    public JobStatus status() {
        try {
            return JobStatus.valueOf(rest.jobState(jobId));
        } catch (Exception e) {
            return JobStatus.FAILED;
        }
    }

    @Override
    public Object failure() {
        try {
            return rest.get("/jobs/" + jobId + "/exceptions").path("root-exception").asText(null);
        } catch (Exception e) {
            return e.toString();
        }
    }

    String jobId() {
        return jobId;
    }

    @Override
    public void close() throws Exception {
        if (!status().isGloballyTerminalState()) {
            JobSubmission.flink(cluster, List.of("cancel", jobId), workDir);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!status().isGloballyTerminalState() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }
}
