package io.bitvision.benchmarks.live;

import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.jobs.pipeline.PipelineConfig;
import io.bitvision.jobs.pipeline.PipelineJob;
import io.bitvision.operators.inference.ModelRef;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.operators.source.split.InputKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The pipeline job ({@link PipelineJob}, unchanged) with live cameras on one TaskManager slot: a local MiniCluster
 * of parallelism 1 (one slot; source, inference and sink each a task thread in it, as Flink places a parallelism-1
 * job), the in-process broker, and {@code cameras} {@code replay:} cameras of the same video (each plays the file
 * at its own frame rate, looped, with live semantics: drop-to-latest when the job lags). Runs until cancelled.
 */
public final class LiveJob implements LiveRun {
    private final JobClient client;
    public final Topics topics;
    public final List<String> cameraIds;

    private LiveJob(JobClient client, Topics topics, List<String> cameraIds) {
        this.client = client;
        this.topics = topics;
        this.cameraIds = cameraIds;
    }

    public static LiveJob start(EmbeddedKafkaBroker broker, String name, Path video, int cameras, Model model,
                         String className, Duration checkpointInterval) throws Exception {
        return start(broker, name, video, cameras, model, className, checkpointInterval, java.util.Map.of(), 10);
    }

    /**
     * As above, plus {@code otherCameras} (id to URL) next to the replay cameras, and the number of reconnect attempts
     * after which a camera is given up.
     */
    public static LiveJob start(EmbeddedKafkaBroker broker, String name, Path video, int cameras, Model model,
                         String className, Duration checkpointInterval, java.util.Map<String, String> otherCameras,
                         int maxReconnectAttempts) throws Exception {
        return start(broker, name, video, cameras, model, className, checkpointInterval, otherCameras,
                maxReconnectAttempts, null);
    }

    /** As above, with frame previews published as the job's --preview-topic does (null: none). */
    public static LiveJob start(EmbeddedKafkaBroker broker, String name, Path video, int cameras, Model model,
                         String className, Duration checkpointInterval, java.util.Map<String, String> otherCameras,
                         int maxReconnectAttempts, io.bitvision.operators.preview.PreviewSettings previews)
            throws Exception {
        Topics topics = new Topics(name + ".masks", name + ".health", name + ".dead-letters");
        BenchTopics.createLogAppendTime(broker, topics);
        PipelineConfig.Builder config = PipelineConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topics(topics)
                .model(ModelRef.ofBytes(model.name(), ModelWriter.toBytes(model)), className)
                .checkpointInterval(checkpointInterval)
                .parallelism(1)
                .maxReconnectAttempts(maxReconnectAttempts)
                .transactionalIdPrefix(name.replace('.', '-'));
        if (previews != null) {
            broker.createTopics(1, previews.topic());
            config.previews(previews);
        }
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= cameras; i++) {
            String id = String.format("cam-%02d", i);
            ids.add(id);
            config.camera(id, InputKind.REPLAY_PREFIX + video.toAbsolutePath());
        }
        otherCameras.forEach(config::camera);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        PipelineJob.define(env, config.build());
        JobClient client = env.executeAsync("bitvision " + name + " (" + (cameras + otherCameras.size())
                + " live cameras, 1 slot)");
        return new LiveJob(client, topics, List.copyOf(ids));
    }

    @Override
    public Topics topics() {
        return topics;
    }

    @Override
    public List<String> cameraIds() {
        return cameraIds;
    }

    @Override
    public JobStatus status() {
        try {
            return client.getJobStatus().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return JobStatus.FAILED;
        }
    }

    @Override
    public Throwable failure() {
        var result = client.getJobExecutionResult();
        if (!result.isDone()) {
            return null;
        }
        try {
            result.get();
            return null;
        } catch (Exception e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }

    /** Cancels the job and waits until it is gone (its MiniCluster shuts down with it). */
    @Override
    public void close() throws Exception {
        if (!client.getJobExecutionResult().isDone()) {
            try {
                client.cancel().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                // It ended meanwhile.
            }
        }
        try {
            client.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Cancelled: the result is an exception by design.
        }
    }
}
