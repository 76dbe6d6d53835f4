package io.bitvision.benchmarks.pipeline;

import io.bitvision.benchmarks.live.BenchTopics;
import io.bitvision.benchmarks.live.CommitWatcher;
import io.bitvision.benchmarks.live.ThreadCpuSampler;
import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.testkit.audit.MaskAudit;
import io.bitvision.jobs.pipeline.PipelineConfig;
import io.bitvision.jobs.pipeline.PipelineJob;
import io.bitvision.operators.inference.ModelRef;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.FrameMasks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;

/**
 * The whole job ({@link PipelineJob}) on a local MiniCluster against the in-process broker, one camera, parallelism
 * 1, reading the video file as fast as the job takes it. Each run writes to its own topics, created with
 * {@code message.timestamp.type=LogAppendTime} so that every record carries the broker's clock at append (the job
 * itself sets record timestamps to the capture time, which the broker then overwrites). A read_committed
 * {@link CommitWatcher} notes when each record becomes visible. All clocks are this JVM's wall clock.
 *
 * <p>Times per run: {@code submit} (executeAsync), first and last frame's {@code ingest_time_ms} (the decoder's
 * clock when it read the frame), first and last LogAppendTime, last visibility to the read_committed consumer.
 */
final class EndToEndBench {
    private EndToEndBench() {}

    /** One run's raw times (epoch ms) and samples; the rates are derived. */
    record Run(int index, int framesExpected, int frames, int duplicates, long gaps, long submitMs, long firstIngestMs,
               long lastIngestMs, long firstAppendMs, long lastAppendMs, long lastVisibleMs, long jobDoneMs,
               long[] visibleLatencyMs, long[] appendLatencyMs, Map<String, ThreadCpuSampler.Usage> cpuByGroup,
               Map<String, ThreadCpuSampler.Usage> topThreads, double gcPauseSeconds, double otherProcessesCores) {

        /** Frames committed per second from job submission to the last commit becoming visible. */
        double e2eFps() {
            return frames * 1000.0 / (lastVisibleMs - submitMs);
        }

        /** The same without the job's startup: from the first frame's ingest to the last commit. */
        double e2eFpsExclStartup() {
            return frames * 1000.0 / (lastVisibleMs - firstIngestMs);
        }

        /** The pipeline's own rate: first to last broker append, without startup or the final commit wait. */
        double steadyFps() {
            return (frames - 1) * 1000.0 / Math.max(1, lastAppendMs - firstAppendMs);
        }

        long startupMs() {
            return firstIngestMs - submitMs;
        }

        /** From the last record's append to its commit becoming visible (the last checkpoint's wait). */
        long finalCommitMs() {
            return lastVisibleMs - lastAppendMs;
        }

        double wallSeconds() {
            return (lastVisibleMs - submitMs) / 1000.0;
        }
    }

    static Run run(EmbeddedKafkaBroker broker, Path video, Model model, String className, int index,
                   Duration checkpointInterval, int framesExpected, int inferenceThreads) throws Exception {
        return run(broker, video, model, className, index, checkpointInterval, framesExpected, inferenceThreads,
                PipelineJob::define);
    }

    /** A run of the job as {@code define} builds it (the real job, or a what-if variant for the profile). */
    static Run run(EmbeddedKafkaBroker broker, Path video, Model model, String className, int index,
                   Duration checkpointInterval, int framesExpected, int inferenceThreads,
                   BiConsumer<StreamExecutionEnvironment, PipelineConfig> define) throws Exception {
        String prefix = "bench.pipeline.run" + index;
        Topics topics = new Topics(prefix + ".masks", prefix + ".health", prefix + ".dead-letters");
        BenchTopics.createLogAppendTime(broker, topics);
        PipelineConfig config = PipelineConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topics(topics)
                .camera("vtest", video.toString())
                .model(ModelRef.ofBytes(model.name(), ModelWriter.toBytes(model)), className)
                .checkpointInterval(checkpointInterval)
                .parallelism(1)
                .inferenceThreads(inferenceThreads)
                .transactionalIdPrefix("bench-pipeline-run" + index)
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        define.accept(env, config);

        List<CommitWatcher.Seen> seen;
        long submitMs;
        long jobDoneMs;
        ThreadCpuSampler cpu;
        try (CommitWatcher watcher = new CommitWatcher(broker.bootstrapServers(), topics.masks(), 1)) {
            cpu = ThreadCpuSampler.start(200);
            submitMs = System.currentTimeMillis();
            JobClient job = env.executeAsync("bitvision bench pipeline run " + index);
            var finished = job.getJobExecutionResult();
            while (!finished.isDone()) {
                try {
                    finished.get(1, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    System.out.printf(Locale.ROOT, "    %5.1f s: %d frames committed%n",
                            (System.currentTimeMillis() - submitMs) / 1e3, watcher.count());
                }
            }
            finished.get();
            jobDoneMs = System.currentTimeMillis();
            watcher.awaitCount(framesExpected, Duration.ofSeconds(30));
            cpu.close();
            seen = watcher.seen();
        }

        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(seen.size());
        long[] visibleLatency = new long[seen.size()];
        long[] appendLatency = new long[seen.size()];
        long firstIngest = Long.MAX_VALUE;
        long lastIngest = Long.MIN_VALUE;
        long firstAppend = Long.MAX_VALUE;
        long lastAppend = Long.MIN_VALUE;
        long lastVisible = Long.MIN_VALUE;
        for (int i = 0; i < seen.size(); i++) {
            ConsumerRecord<byte[], byte[]> r = seen.get(i).record();
            if (r.timestampType() != TimestampType.LOG_APPEND_TIME) {
                throw new IllegalStateException("topic " + r.topic() + " does not use LogAppendTime: " + r.timestampType());
            }
            records.add(r);
            long ingest = AvroRecords.decode(r.value(), FrameMasks.class).getIngestTimeMs().toEpochMilli();
            long visible = seen.get(i).visibleMs();
            visibleLatency[i] = visible - ingest;
            appendLatency[i] = r.timestamp() - ingest;
            firstIngest = Math.min(firstIngest, ingest);
            lastIngest = Math.max(lastIngest, ingest);
            firstAppend = Math.min(firstAppend, r.timestamp());
            lastAppend = Math.max(lastAppend, r.timestamp());
            lastVisible = Math.max(lastVisible, visible);
        }
        MaskAudit audit = MaskAudit.of(records);
        return new Run(index, framesExpected, records.size(), audit.duplicates(), audit.gaps(), submitMs, firstIngest,
                lastIngest, firstAppend, lastAppend, lastVisible, jobDoneMs, visibleLatency, appendLatency,
                cpu.byGroup(), cpu.topThreads(15), cpu.gcPauseSeconds(), cpu.otherProcessesCores());
    }

}
