package io.bitvision.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.testkit.clips.SampleVideo;
import io.bitvision.testkit.report.JsonReports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./bitvision verify-cluster} and {@code verify-upgrade} in small, on one real local cluster (broker,
 * JobManager, two TaskManagers, each its own JVM) with the shaded job jar submitted by Flink's CLI, on two file
 * cameras of 150 frames: a TaskManager killed with SIGKILL mid-stream, and a stop-with-savepoint followed by a resume
 * at twice the parallelism by a changed job version (job name, checkpoint interval), with face matching on: track ids
 * and the watchlist (broadcast state, source offsets) must carry over. A read_committed consumer must see every frame exactly once. Runs after package with
 * -Pjob-jar (it needs ../jobs/target/bitvision-job.jar and flink-lib/target/flink-lib); logs stay in target/cluster-it.
 */
class LocalClusterIT {
    private static final int CAMERAS = 2;
    private static final int FRAMES = 150;
    private static final Path WORK = Path.of("target", "cluster-it").toAbsolutePath();
    private static final Path JOB_JAR = Path.of("..", "jobs", "target", "bitvision-job.jar");
    private static final Path MODEL = Path.of("..", "models", "person-v1.bvm");
    private static LocalCluster cluster;
    private static Path video;

    @BeforeAll
    static void up() throws Exception {
        Path flinkLib = Path.of("flink-lib", "target", "flink-lib");
        assertThat(flinkLib).as("Flink lib built by the cluster module").isDirectory();
        assertThat(JOB_JAR).as("job jar built with -Pjob-jar").isRegularFile();
        cluster = new LocalCluster(LocalCluster.Settings.defaults(WORK.resolve("cluster"), flinkLib));
        cluster.down(System.out, true);
        Files.createDirectories(WORK);
        video = SampleVideo.vtest(WORK.resolve("samples"));
        cluster.up(System.out);
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.down(System.out, false);
            assertThat(cluster.isUp()).as("cluster taken down").isFalse();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aTaskManagerKilledMidStreamLosesAndRepeatsNothing() throws Exception {
        FailoverVerify.Options options = new FailoverVerify.Options(video, FRAMES, CAMERAS, 2, 1000, 0.3, JOB_JAR, MODEL,
                WORK.resolve("samples"), WORK, Duration.ofMinutes(4));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        FailoverVerify.Result result;
        try {
            // On a cluster that is up: a new TaskManager replaces the killed one afterwards.
            result = LocalClusters.runOnCluster(cluster, options, false, new PrintStream(captured, true, StandardCharsets.UTF_8));
        } finally {
            System.out.print(captured.toString(StandardCharsets.UTF_8));
        }
        FailoverVerify.write(result, WORK.resolve("failover.json"));
        System.out.println(JsonReports.write(result.toJson()));

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
        assertThat(cluster.isUp()).as("two TaskManagers again").isTrue();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void stopWithSavepointAndResumeAtTwiceTheParallelismLosesAndRepeatsNothing() throws Exception {
        // Stop at a fifth: `flink stop` takes seconds, and on a fast CPU a job asked to stop at 40 % had committed 83 %
        // before the savepoint, past the enrolled face's episode, so no match was left for the restored job to make.
        UpgradeVerify.Options options = new UpgradeVerify.Options(video, FRAMES, CAMERAS, 1, 2, 1000, 0.2, JOB_JAR, MODEL,
                WORK.resolve("samples"), WORK, Duration.ofMinutes(4));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        UpgradeVerify.Result result;
        try {
            result = UpgradeVerify.run(cluster, options, new PrintStream(captured, true, StandardCharsets.UTF_8));
        } finally {
            System.out.print(captured.toString(StandardCharsets.UTF_8));
        }
        java.nio.file.Files.writeString(WORK.resolve("upgrade.json"), JsonReports.write(result.toJson()));
        System.out.println(JsonReports.write(result.toJson()));

        assertThat(result.finalState()).isEqualTo("FINISHED");
        assertThat(result.savepoint()).startsWith("file:");
        // A changed job version restored from the savepoint.
        assertThat(result.changed().nameAfter()).isNotEqualTo(result.changed().nameBefore());
        assertThat(result.changed().intervalAfterMs()).isNotEqualTo(result.changed().intervalBeforeMs());
        assertThat(result.changed().restoredFromSavepoint()).isTrue();
        assertThat(result.changed().ok()).isTrue();
        // Track ids carried over.
        assertThat(result.trackIds().lastFrameObjects()).as("objects in the last frames before the stop").isPositive();
        assertThat(result.trackIds().continued()).as("kept their ids after the restore").isPositive();
        assertThat(result.trackIds().newTracksAfter()).as("tracks that start after the restore").isPositive();
        assertThat(result.trackIds().renumbered()).as("no track numbered from scratch").isZero();
        assertThat(result.trackIds().ok()).as("every camera: %s", result.trackIds().perCamera()).isTrue();
        // The watchlist carried over: not re-read, still matched.
        assertThat(result.watchlist().watchlistRecordsBefore()).as("the first job read the watchlist").isPositive();
        assertThat(result.watchlist().watchlistRecordsAfter()).as("the restored job did not re-read it").isZero();
        assertThat(result.watchlist().matchesAfter()).as("face matches after the restore").isPositive();
        // The operator version 2 adds: absent before, counting exactly the frames after the restore.
        assertThat(result.added().inJobBefore()).isFalse();
        assertThat(result.added().inJobAfter()).isTrue();
        assertThat(result.added().blocks()).as("activity blocks").isPositive().isEqualTo(result.added().expectedBlocks());
        assertThat(result.added().duplicateBlocks()).isZero();
        assertThat(result.added().framesCounted()).isEqualTo(result.added().framesExpected());
        assertThat(result.passed()).isTrue();
        assertThat(result.seenAtStop()).as("stopped mid-stream").isBetween(1, CAMERAS * FRAMES - 1);
        assertThat(result.parallelismRunning()).isEqualTo(2);
        assertThat(result.expected()).isEqualTo(CAMERAS * FRAMES);
        assertThat(result.duplicates()).isZero();
        assertThat(result.gaps()).isZero();
        assertThat(result.outOfOrder()).isZero();
        assertThat(result.seen()).isEqualTo(result.expected());
    }
}
