package io.bitvision.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.testkit.audit.CommittedRecords;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionFactory;

/** Waits on a job that runs on a MiniCluster: polls with Awaitility and fails at once when the job ends. */
final class RunningJob {
    private static final Duration POLL = Duration.ofMillis(500);

    private RunningJob() {
    }

    /** A wait of at most {@code timeout} that gives up as soon as the job is in a terminal state. */
    static ConditionFactory await(JobClient job, String what, Duration timeout) {
        return org.awaitility.Awaitility.await(what).atMost(timeout).pollInterval(POLL).pollDelay(Duration.ZERO)
                .failFast("the job ended", () -> job.getJobStatus().get().isGloballyTerminalState());
    }

    /** Waits until the job is RUNNING and then stays so for {@code steady} (a job with nothing to do yet). */
    static void awaitSteadilyRunning(JobClient job, Duration steady) {
        org.awaitility.Awaitility.await("the job runs").atMost(steady.plusSeconds(60)).during(steady).pollInterval(Duration.ofMillis(100))
                .until(() -> job.getJobStatus().get() == JobStatus.RUNNING);
    }

    /**
     * Reads the committed records of {@code topics} until {@code missing} says nothing is missing (returns null);
     * on timeout the failure names what was still missing.
     */
    static Map<String, List<ConsumerRecord<byte[], byte[]>>> awaitCommitted(
            JobClient job, String bootstrapServers, Properties client, String[] topics, Duration timeout,
            Function<Map<String, List<ConsumerRecord<byte[], byte[]>>>, String> missing) {
        AtomicReference<Map<String, List<ConsumerRecord<byte[], byte[]>>>> last = new AtomicReference<>();
        await(job, "committed records", timeout).untilAsserted(() -> {
            Map<String, List<ConsumerRecord<byte[], byte[]>>> read = CommittedRecords.readAll(bootstrapServers, client,
                    Duration.ofSeconds(30), topics);
            last.set(read);
            assertThat(missing.apply(read)).as("still missing").isNull();
        });
        return last.get();
    }
}
