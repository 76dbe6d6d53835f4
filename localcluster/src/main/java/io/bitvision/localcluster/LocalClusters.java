package io.bitvision.localcluster;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the local cluster's parts are by default, and running a failover check on it. */
public final class LocalClusters {
    public static final Path DEFAULT_STATE_DIR = Path.of(".bitvision", "cluster");
    public static final Path DEFAULT_FLINK_LIB = Path.of("localcluster", "flink-lib", "target", "flink-lib");
    public static final Path DEFAULT_JOB_JAR = Path.of("jobs", "target", "bitvision-job.jar");
    /** Where the checks find the sample video and cut their clips. */
    public static final Path CLIP_DIR = Path.of(".bitvision", "samples");

    private LocalClusters() {}

    /** The cluster {@code ./bitvision cluster up} starts: state in .bitvision/cluster, Flink's lib from the build. */
    public static LocalCluster defaultCluster() {
        return checked(new LocalCluster(LocalCluster.Settings.defaults(DEFAULT_STATE_DIR, DEFAULT_FLINK_LIB)));
    }

    /** {@code cluster}, after checking that Flink's lib is built. */
    public static LocalCluster checked(LocalCluster cluster) {
        Path lib = cluster.settings().flinkLib();
        if (!Files.isDirectory(lib)) {
            throw new IllegalArgumentException("Flink's lib " + lib + " is missing: build it with "
                    + "./mvnw -DskipTests package -pl localcluster/flink-lib");
        }
        return cluster;
    }

    /**
     * Runs the check on the cluster in the settings' state directory: on the running one (and starts a TaskManager
     * in place of the killed one afterwards, as a supervisor would), or on a new one that is taken down afterwards
     * unless {@code keep}.
     */
    public static FailoverVerify.Result runOnCluster(LocalCluster cluster, FailoverVerify.Options options, boolean keep,
                                                     PrintStream out) throws Exception {
        boolean started = !cluster.isUp();
        cluster.up(out);
        FailoverVerify.Result result = null;
        try {
            result = FailoverVerify.run(cluster, options, out);
            return result;
        } finally {
            if (started && !keep) {
                cluster.down(out, false);
            } else if (result != null) {
                cluster.startTaskManager(result.killedTaskManager());
                cluster.awaitTaskManagers(cluster.endpoints(), cluster.settings().taskManagers());
                out.println("started " + result.killedTaskManager() + " again in place of the killed one");
            }
        }
    }

    /** Runs the upgrade check; a cluster it had to start is taken down afterwards unless {@code keep}. */
    public static UpgradeVerify.Result runUpgrade(LocalCluster cluster, UpgradeVerify.Options options, boolean keep,
                                                  PrintStream out) throws Exception {
        boolean started = !cluster.isUp();
        cluster.up(out);
        try {
            return UpgradeVerify.run(cluster, options, out);
        } finally {
            if (started && !keep) {
                cluster.down(out, false);
            }
        }
    }
}
