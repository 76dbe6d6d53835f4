package io.bitvision.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.jobs.demo.SampleVideo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./bitvision verify-cluster} in small: a real local cluster (broker, JobManager, two TaskManagers, each its
 * own JVM), the shaded job jar submitted with Flink's CLI, two file cameras of 150 frames, one TaskManager killed
 * with SIGKILL mid-stream. A read_committed consumer must see every frame exactly once. Runs after package with
 * -Pjob-jar (it needs target/bitvision-job.jar and ../cluster/target/flink-lib); logs stay in target/failover-it.
 */
class ClusterFailoverIT {
    private static final int CAMERAS = 2;
    private static final int FRAMES = 150;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aTaskManagerKilledMidStreamLosesAndRepeatsNothing() throws Exception {
        Path work = Path.of("target", "failover-it").toAbsolutePath();
        Path flinkLib = Path.of("..", "cluster", "target", "flink-lib");
        Path jobJar = Path.of("target", "bitvision-job.jar");
        assertThat(flinkLib).as("Flink lib built by the cluster module").isDirectory();
        assertThat(jobJar).as("job jar built with -Pjob-jar").isRegularFile();
        LocalCluster cluster = new LocalCluster(LocalCluster.Settings.defaults(work.resolve("cluster"), flinkLib));
        cluster.down(System.out, true);
        Files.createDirectories(work);
        Path video = SampleVideo.vtest(work.resolve("samples"));
        FailoverVerify.Options options = new FailoverVerify.Options(video, FRAMES, CAMERAS, 2, 1000, 0.3, jobJar,
                Path.of("..", "models", "person-v1.bvm"), work.resolve("samples"), work, Duration.ofMinutes(4));

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(captured, true, StandardCharsets.UTF_8);
        FailoverVerify.Result result;
        try {
            result = ClusterCommand.runOnCluster(cluster, options, false, log);
        } finally {
            System.out.print(captured.toString(StandardCharsets.UTF_8));
            cluster.down(System.out, false);
        }
        FailoverVerify.write(result, work.resolve("failover.json"));
        System.out.println(io.bitvision.jobs.report.Json.write(result.toJson()));

        assertThat(result.finalState()).isEqualTo("FINISHED");
        assertThat(result.killedPid()).isPositive();
        assertThat(result.seenAtKill()).as("killed mid-stream").isBetween(1, CAMERAS * FRAMES - 1);
        assertThat(result.restarts()).as("the job restarted from a checkpoint").isPositive();
        assertThat(result.expected()).isEqualTo(CAMERAS * FRAMES);
        assertThat(result.duplicates()).isZero();
        assertThat(result.gaps()).isZero();
        assertThat(result.outOfOrder()).isZero();
        assertThat(result.seen()).isEqualTo(result.expected());
        assertThat(result.recoverySeconds()).isNotNull().isPositive();
        assertThat(cluster.isUp()).as("cluster taken down").isFalse();
    }
}
