package io.bitvision.jobs.cluster;

import io.bitvision.jobs.demo.SampleVideo;
import io.bitvision.jobs.report.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** {@code ./bitvision cluster up|down|status} and {@code ./bitvision verify-cluster}. */
public final class ClusterCommand {
    static final Path DEFAULT_STATE_DIR = Path.of(".bitvision", "cluster");
    static final Path DEFAULT_FLINK_LIB = Path.of("cluster", "target", "flink-lib");
    public static final Path DEFAULT_JOB_JAR = Path.of("jobs", "target", "bitvision-job.jar");
    static final Path DEFAULT_MODEL = Path.of("models", "person-v1.bvm");

    private ClusterCommand() {}

    /** The cluster {@code ./bitvision cluster up} starts: state in .bitvision/cluster, Flink's lib from the build. */
    public static LocalCluster defaultCluster() throws IOException {
        LocalCluster cluster = new LocalCluster(LocalCluster.Settings.defaults(DEFAULT_STATE_DIR, DEFAULT_FLINK_LIB));
        checkFlinkLib(cluster);
        return cluster;
    }

    public static int cluster(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0) {
            err.println("usage: ./bitvision cluster up|down|status [--state-dir DIR] [--taskmanagers N] [--slots N] [--purge]");
            return 2;
        }
        Path stateDir = DEFAULT_STATE_DIR;
        Path flinkLib = DEFAULT_FLINK_LIB;
        int taskManagers = 2;
        int slots = 2;
        boolean purge = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--state-dir" -> stateDir = Path.of(args[++i]);
                case "--flink-lib" -> flinkLib = Path.of(args[++i]);
                case "--taskmanagers" -> taskManagers = Integer.parseInt(args[++i]);
                case "--slots" -> slots = Integer.parseInt(args[++i]);
                case "--purge" -> purge = true;
                default -> {
                    err.println("unknown option " + args[i]);
                    return 2;
                }
            }
        }
        LocalCluster.Settings defaults = LocalCluster.Settings.defaults(stateDir, flinkLib);
        LocalCluster cluster = new LocalCluster(new LocalCluster.Settings(defaults.stateDir(), defaults.flinkLib(),
                defaults.brokerClasspath(), taskManagers, slots, defaults.taskManagerMemory(),
                defaults.jobManagerMemory(), defaults.topicPartitions()));
        switch (args[0]) {
            case "up" -> {
                checkFlinkLib(cluster);
                var e = cluster.up(out);
                out.println("bootstrap servers: " + e.bootstrap());
                out.println("Flink REST:        " + e.restUrl());
                out.println("Flink CLI:         " + cluster.flinkScript() + " run -d jobs/target/bitvision-job.jar --bootstrap "
                        + e.bootstrap() + " --camera ID=URL ...");
                out.println("logs:              " + cluster.logDir());
                return 0;
            }
            case "down" -> {
                cluster.down(out, purge);
                out.println("cluster down (" + cluster.settings().stateDir() + ")");
                return 0;
            }
            case "status" -> {
                Map<String, Object> status = cluster.status();
                out.print(Json.write(status));
                return cluster.isUp() ? 0 : 3;
            }
            default -> {
                err.println("unknown cluster command '" + args[0] + "': up, down or status");
                return 2;
            }
        }
    }

    public static int verify(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path stateDir = DEFAULT_STATE_DIR;
        Path flinkLib = DEFAULT_FLINK_LIB;
        Path jobJar = DEFAULT_JOB_JAR;
        Path model = Files.isRegularFile(DEFAULT_MODEL) ? DEFAULT_MODEL : null;
        Path outFile = Path.of("bench-results", "failover.json");
        Path video = null;
        int cameras = 3;
        int frames = 300;
        int parallelism = 2;
        long checkpointMs = 1000;
        double killAt = 0.3;
        boolean keep = false;
        long timeoutS = 900;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cameras" -> cameras = Integer.parseInt(args[++i]);
                case "--frames" -> frames = Integer.parseInt(args[++i]);
                case "--parallelism" -> parallelism = Integer.parseInt(args[++i]);
                case "--checkpoint-ms" -> checkpointMs = Long.parseLong(args[++i]);
                case "--kill-at" -> killAt = Double.parseDouble(args[++i]);
                case "--video" -> video = Path.of(args[++i]);
                case "--model" -> model = Path.of(args[++i]);
                case "--job-jar" -> jobJar = Path.of(args[++i]);
                case "--state-dir" -> stateDir = Path.of(args[++i]);
                case "--flink-lib" -> flinkLib = Path.of(args[++i]);
                case "--out" -> outFile = Path.of(args[++i]);
                case "--timeout-s" -> timeoutS = Long.parseLong(args[++i]);
                case "--keep-cluster" -> keep = true;
                default -> {
                    err.println("unknown option " + args[i]);
                    err.println("usage: ./bitvision verify-cluster [--cameras 3] [--frames 300 (0: whole video)] [--parallelism 2] "
                            + "[--checkpoint-ms 1000] [--kill-at 0.3] [--video V] [--out bench-results/failover.json] [--keep-cluster]");
                    return 2;
                }
            }
        }
        if (cameras < 1 || parallelism < 1 || killAt <= 0 || killAt >= 1) {
            err.println("--cameras and --parallelism must be positive, --kill-at in (0, 1)");
            return 2;
        }
        if (video == null) {
            video = SampleVideo.vtest(Path.of(".bitvision", "samples"));
        }
        LocalCluster cluster = new LocalCluster(LocalCluster.Settings.defaults(stateDir, flinkLib));
        checkFlinkLib(cluster);
        FailoverVerify.Options options = new FailoverVerify.Options(video, frames, cameras, parallelism, checkpointMs,
                killAt, jobJar, model, Path.of(".bitvision", "samples"), Path.of("").toAbsolutePath(),
                Duration.ofSeconds(timeoutS));
        FailoverVerify.Result result = runOnCluster(cluster, options, keep, out);
        FailoverVerify.write(result, outFile);
        out.printf(Locale.ROOT, "expected %d, seen %d, duplicates %d, gaps %d, recovery %.1f s -> %s%n", result.expected(),
                result.seen(), result.duplicates(), result.gaps(),
                result.recoverySeconds() == null ? Double.NaN : result.recoverySeconds(), outFile);
        out.println(result.exactlyOnce() ? "exactly once across the TaskManager kill: no record lost, none duplicated"
                : "FAILED: the job did not deliver every frame exactly once (job " + result.finalState() + ")");
        return result.exactlyOnce() ? 0 : 1;
    }

    public static int upgrade(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path stateDir = DEFAULT_STATE_DIR;
        Path flinkLib = DEFAULT_FLINK_LIB;
        Path jobJar = DEFAULT_JOB_JAR;
        Path model = Files.isRegularFile(DEFAULT_MODEL) ? DEFAULT_MODEL : null;
        Path outFile = Path.of("bench-results", "upgrade.json");
        Path video = null;
        int cameras = 2;
        int frames = 300;
        int from = 1;
        int to = 2;
        long checkpointMs = 1000;
        double stopAt = 0.4;
        boolean keep = false;
        long timeoutS = 900;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cameras" -> cameras = Integer.parseInt(args[++i]);
                case "--frames" -> frames = Integer.parseInt(args[++i]);
                case "--from" -> from = Integer.parseInt(args[++i]);
                case "--to" -> to = Integer.parseInt(args[++i]);
                case "--checkpoint-ms" -> checkpointMs = Long.parseLong(args[++i]);
                case "--stop-at" -> stopAt = Double.parseDouble(args[++i]);
                case "--video" -> video = Path.of(args[++i]);
                case "--model" -> model = Path.of(args[++i]);
                case "--job-jar" -> jobJar = Path.of(args[++i]);
                case "--state-dir" -> stateDir = Path.of(args[++i]);
                case "--flink-lib" -> flinkLib = Path.of(args[++i]);
                case "--out" -> outFile = Path.of(args[++i]);
                case "--timeout-s" -> timeoutS = Long.parseLong(args[++i]);
                case "--keep-cluster" -> keep = true;
                default -> {
                    err.println("unknown option " + args[i]);
                    err.println("usage: ./bitvision verify-upgrade [--cameras 2] [--frames 300] [--from 1] [--to 2] "
                            + "[--stop-at 0.4] [--out bench-results/upgrade.json] [--keep-cluster]");
                    return 2;
                }
            }
        }
        if (cameras < 1 || from < 1 || to < 1 || stopAt <= 0 || stopAt >= 1) {
            err.println("--cameras, --from and --to must be positive, --stop-at in (0, 1)");
            return 2;
        }
        if (video == null) {
            video = SampleVideo.vtest(Path.of(".bitvision", "samples"));
        }
        LocalCluster cluster = new LocalCluster(LocalCluster.Settings.defaults(stateDir, flinkLib));
        checkFlinkLib(cluster);
        UpgradeVerify.Options options = new UpgradeVerify.Options(video, frames, cameras, from, to, checkpointMs, stopAt,
                jobJar, model, Path.of(".bitvision", "samples"), Path.of("").toAbsolutePath(), Duration.ofSeconds(timeoutS));
        boolean started = !cluster.isUp();
        cluster.up(out);
        UpgradeVerify.Result result;
        try {
            result = UpgradeVerify.run(cluster, options, out);
        } finally {
            if (started && !keep) {
                cluster.down(out, false);
            }
        }
        if (outFile.getParent() != null) {
            Files.createDirectories(outFile.getParent());
        }
        Files.writeString(outFile, Json.write(result.toJson()));
        out.printf(Locale.ROOT, "expected %d, seen %d, duplicates %d, gaps %d; parallelism %d -> %d -> %s%n", result.expected(),
                result.seen(), result.duplicates(), result.gaps(), result.parallelismBefore(), result.parallelismRunning(), outFile);
        out.println(result.exactlyOnce() ? "exactly once across stop-with-savepoint and the rescale"
                : "FAILED: the job did not deliver every frame exactly once (job " + result.finalState() + ")");
        out.printf(Locale.ROOT, "changed job version %s, track ids carried %s, watchlist carried %s, added operator %s%n",
                result.changed().ok(), result.trackIds().ok(), result.watchlist().ok(), result.added().ok());
        if (result.exactlyOnce() && !result.passed()) {
            out.println("FAILED: see changed / track_ids_carried / watchlist_carried / added_operator in " + outFile);
        }
        return result.passed() ? 0 : 1;
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

    private static void checkFlinkLib(LocalCluster cluster) {
        Path lib = cluster.settings().flinkLib();
        if (!Files.isDirectory(lib)) {
            throw new IllegalArgumentException("Flink's lib " + lib + " is missing: build it with ./mvnw -DskipTests package -pl cluster");
        }
    }
}
