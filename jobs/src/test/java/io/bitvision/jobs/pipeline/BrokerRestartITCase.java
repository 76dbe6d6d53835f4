package io.bitvision.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.testkit.clips.SampleVideo;
import io.bitvision.testkit.audit.CommittedRecords;
import io.bitvision.testkit.audit.MaskAudit;
import io.bitvision.operators.inference.DarkRegionsModel;
import io.bitvision.operators.inference.ModelRef;
import io.bitvision.operators.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away while the job writes and comes back on the same port with the same storage: once it is back,
 * a read_committed consumer must find every frame of vtest.avi exactly once, contiguous and in order. Whatever the
 * job does meanwhile (its producers retrying, or a restart from the last checkpoint through Flink's default restart
 * strategy) is up to it; the test only reports which happened.
 */
class BrokerRestartITCase {
    private static final int VTEST_FRAMES = 795;
    private static final Duration DOWN_FOR = Duration.ofSeconds(8);
    private EmbeddedKafkaBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theJobLosesAndRepeatsNothingWhenTheBrokerRestartsMidStream(@TempDir Path dir) throws Exception {
        Path kafkaDir = dir.resolve("kafka");
        broker = EmbeddedKafkaBroker.builder().dataDir(kafkaDir).start();
        int port = broker.port();
        Path video = SampleVideo.vtest(dir);
        Model model = DarkRegionsModel.build(576, 768, 70);
        Topics topics = new Topics("restart.masks", "restart.health", "restart.dead");
        broker.createTopics(2, topics.all());
        PipelineConfig config = PipelineConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topics(topics)
                .camera("vtest", video.toString())
                .model(ModelRef.ofBytes(model.name(), ModelWriter.toBytes(model)), "dark-region")
                .checkpointInterval(Duration.ofMillis(500))
                .transactionalIdPrefix("broker-restart")
                .build();

        long start = System.nanoTime();
        int atStop;
        long downAt;
        long upAt;
        JobClient job;
        String logged;
        try (LogCapture capture = new LogCapture()) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
            PipelineJob.define(env, config);
            job = env.executeAsync("broker restart");
            atStop = RunningJob.await(job, "the job commits 150 records", Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100)).until(() -> committed(topics), n -> n >= 150);
            downAt = System.nanoTime();
            broker.close(); // controlled shutdown; the storage stays (not a temporary directory)
            broker = null;
            Thread.sleep(DOWN_FOR.toMillis());
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("job survives the outage").isFalse();
            broker = restart(port, kafkaDir);
            upAt = System.nanoTime();

            JobStatus end = job.getJobExecutionResult().thenApply(r -> JobStatus.FINISHED).get(120, TimeUnit.SECONDS);
            assertThat(end).isEqualTo(JobStatus.FINISHED);
            logged = capture.text();
        }
        MaskAudit audit = MaskAudit.of(CommittedRecords.readAll(broker.bootstrapServers(), new Properties(),
                Duration.ofSeconds(60), topics.masks()).get(topics.masks()));
        System.out.printf("broker restart: stopped with %d of %d committed, down %d ms, job done %d ms after the restart "
                        + "(%d ms in all); job restarts: %d; client connection failures logged: %d%n", atStop, VTEST_FRAMES,
                (upAt - downAt) / 1_000_000, (System.nanoTime() - upAt) / 1_000_000, (System.nanoTime() - start) / 1_000_000,
                count(logged, "switched from state RUNNING to RESTARTING"), count(logged, "could not be established"));
        assertThat(atStop).as("stopped mid-file").isLessThan(VTEST_FRAMES);
        assertThat(audit.records()).isEqualTo(VTEST_FRAMES);
        assertThat(audit.duplicates()).isZero();
        assertThat(audit.gaps()).isZero();
        assertThat(audit.outOfOrder()).isZero();
    }

    /** The same node again: same storage, same client port (retried while the old socket lingers). */
    private static EmbeddedKafkaBroker restart(int port, Path kafkaDir) {
        return org.awaitility.Awaitility.await("the broker restarts on port " + port).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).pollDelay(Duration.ZERO).ignoreException(KafkaException.class)
                .until(() -> EmbeddedKafkaBroker.builder().port(port).dataDir(kafkaDir).start(), b -> true);
    }

    private int committed(Topics topics) {
        return MaskAudit.of(CommittedRecords.readAll(broker.bootstrapServers(), new Properties(), Duration.ofSeconds(30),
                topics.masks()).get(topics.masks())).records();
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
