package io.bitvision.cli.cluster;

import io.bitvision.cli.CliCommand;
import io.bitvision.localcluster.LocalCluster;
import io.bitvision.localcluster.LocalClusters;
import io.bitvision.testkit.report.JsonReports;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cluster up|down|status}: the local standalone cluster (a Kafka broker, a Flink session cluster) on 127.0.0.1. */
@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A Kafka broker and a Flink standalone session cluster (a JobManager and TaskManagers) as "
                + "separate JVMs on 127.0.0.1 (docs/cluster.md).")
public final class ClusterCommand extends CliCommand {
    enum Action { up, down, status }

    @Parameters(index = "0", paramLabel = "up|down|status", description = "Start it, stop it, or print its state as JSON.")
    Action action;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Default: .bitvision/cluster.")
    Path stateDir = LocalClusters.DEFAULT_STATE_DIR;

    @Option(names = "--flink-lib", paramLabel = "DIR", description = "Flink's lib/ (built by localcluster/flink-lib).")
    Path flinkLib = LocalClusters.DEFAULT_FLINK_LIB;

    @Option(names = "--taskmanagers", paramLabel = "N", defaultValue = "2")
    int taskManagers;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "2", description = "Slots per TaskManager.")
    int slots;

    @Option(names = "--purge", description = "With down: delete the state directory too.")
    boolean purge;

    /** @return 0 done (status: the cluster is up), 2 bad arguments, 3 status of a cluster that is down */
    @Override
    public Integer call() throws Exception {
        atLeast("--taskmanagers", taskManagers, 1);
        atLeast("--slots", slots, 1);
        LocalCluster.Settings defaults = LocalCluster.Settings.defaults(stateDir, flinkLib);
        LocalCluster cluster = new LocalCluster(new LocalCluster.Settings(defaults.stateDir(), defaults.flinkLib(),
                defaults.brokerClasspath(), taskManagers, slots, defaults.taskManagerMemory(),
                defaults.jobManagerMemory(), defaults.topicPartitions()));
        switch (action) {
            case up -> {
                LocalClusters.checked(cluster);
                var e = cluster.up(out);
                out.println("bootstrap servers: " + e.bootstrap());
                out.println("Flink REST:        " + e.restUrl());
                out.println("Flink CLI:         " + cluster.flinkScript() + " run -d " + LocalClusters.DEFAULT_JOB_JAR
                        + " --bootstrap " + e.bootstrap() + " --camera ID=URL ...");
                out.println("logs:              " + cluster.logDir());
                return 0;
            }
            case down -> {
                cluster.down(out, purge);
                out.println("cluster down (" + cluster.settings().stateDir() + ")");
                return 0;
            }
            default -> {
                Map<String, Object> status = cluster.status();
                out.print(JsonReports.write(status));
                return cluster.isUp() ? 0 : 3;
            }
        }
    }
}
