package io.bitvision.cli.cluster;

import io.bitvision.cli.MissingModelException;
import io.bitvision.cli.PersonModelOptions;
import io.bitvision.localcluster.LocalCluster;
import io.bitvision.localcluster.LocalClusters;
import io.bitvision.testkit.clips.SampleVideo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options verify-cluster and verify-upgrade share; each check has its own camera count and report file. */
public final class CheckOptions {
    @Option(names = "--frames", paramLabel = "N", defaultValue = "300", description = "Frames per camera (0: the whole video).")
    int frames;

    @Option(names = "--checkpoint-ms", paramLabel = "N", defaultValue = "1000")
    long checkpointMs;

    @Option(names = "--video", paramLabel = "FILE", description = "Default: the sample video (vtest.avi).")
    Path video;

    @Mixin
    PersonModelOptions person = new PersonModelOptions();

    @Option(names = "--job-jar", paramLabel = "JAR", description = "Default: jobs/target/bitvision-job.jar.")
    Path jobJar = LocalClusters.DEFAULT_JOB_JAR;

    @Option(names = "--timeout-s", paramLabel = "N", defaultValue = "900")
    long timeoutS;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Default: .bitvision/cluster.")
    Path stateDir = LocalClusters.DEFAULT_STATE_DIR;

    @Option(names = "--flink-lib", paramLabel = "DIR")
    Path flinkLib = LocalClusters.DEFAULT_FLINK_LIB;

    @Option(names = "--keep-cluster", description = "Leave a cluster this check started running.")
    boolean keep;

    Path video() throws IOException {
        return video != null ? video : SampleVideo.vtest(LocalClusters.CLIP_DIR);
    }

    /** The person model file, or null for the stand-in (only with --stand-in-model). */
    Path model() throws MissingModelException {
        return person.fileOrStandIn();
    }

    LocalCluster cluster() {
        return LocalClusters.checked(new LocalCluster(LocalCluster.Settings.defaults(stateDir, flinkLib)));
    }

    Duration timeout() {
        return Duration.ofSeconds(timeoutS);
    }
}
