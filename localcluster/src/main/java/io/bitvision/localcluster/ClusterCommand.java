package io.bitvision.localcluster;

import io.bitvision.testkit.clips.SampleVideo;
import io.bitvision.testkit.report.JsonReports;
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
    static final Path DEFAULT_FLINK_LIB = Path.of("localcluster", "flink-lib", "target", "flink-lib");
    public static final Path DEFAULT_JOB_JAR = Path.of("jobs", "target", "bitvision-job.jar");
    static final Path DEFAULT_MODEL = Path.of("models", "person-v1.bvm");
    /** Where the checks find the sample video and cut their clips. */
    private static final Path CLIP_DIR = Path.of(".bitvision", "samples");

    private ClusterCommand() {}

    /** The cluster {@code ./bitvision cluster up} starts: state in .bitvision/cluster, Flink's lib from the build. */
    public static LocalCluster defaultCluster() throws IOException {
        return checkedCluster(DEFAULT_STATE_DIR, DEFAULT_FLINK_LIB);
    }

    public static int cluster(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0) {
            err.println("usage: ./bitvision cluster up|down|status [--state-dir DIR] [--taskmanagers N] [--slots N] [--purge]");
            return 2;
        }
        Args in = new Args(args, 1);
        Path stateDir = DEFAULT_STATE_DIR;
        Path flinkLib = DEFAULT_FLINK_LIB;
        int taskManagers = 2;
        int slots = 2;
        boolean purge = false;
        while (in.hasNext()) {
            String option = in.option();
            switch (option) {
                case "--state-dir" -> stateDir = Path.of(in.value());
                case "--flink-lib" -> flinkLib = Path.of(in.value());
                case "--taskmanagers" -> taskManagers = Integer.parseInt(in.value());
                case "--slots" -> slots = Integer.parseInt(in.value());
                case "--purge" -> purge = true;
                default -> {
                    err.println("unknown option " + option);
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
                out.print(JsonReports.write(status));
                return cluster.isUp() ? 0 : 3;
            }
            default -> {
                err.println("unknown cluster command '" + args[0] + "': up, down or status");
                return 2;
            }
        }
    }

    public static int verify(String[] args, PrintStream out, PrintStream err) throws Exception {
        CheckOptions check = new CheckOptions(3, Path.of("bench-results", "failover.json"));
        Args in = new Args(args, 0);
        int parallelism = 2;
        double killAt = 0.3;
        while (in.hasNext()) {
            String option = in.option();
            if (check.read(option, in)) {
                continue;
            }
            switch (option) {
                case "--parallelism" -> parallelism = Integer.parseInt(in.value());
                case "--kill-at" -> killAt = Double.parseDouble(in.value());
                default -> {
                    err.println("unknown option " + option);
                    err.println("usage: ./bitvision verify-cluster [--cameras 3] [--frames 300 (0: whole video)] [--parallelism 2] "
                            + "[--checkpoint-ms 1000] [--kill-at 0.3] [--video V] [--out bench-results/failover.json] [--keep-cluster]");
                    return 2;
                }
            }
        }
        if (check.cameras < 1 || parallelism < 1 || killAt <= 0 || killAt >= 1) {
            err.println("--cameras and --parallelism must be positive, --kill-at in (0, 1)");
            return 2;
        }
        Path video = check.video();
        LocalCluster cluster = check.cluster();
        FailoverVerify.Options options = new FailoverVerify.Options(video, check.frames, check.cameras, parallelism,
                check.checkpointMs, killAt, check.jobJar, check.model, CLIP_DIR, Path.of("").toAbsolutePath(),
                check.timeout());
        FailoverVerify.Result result = runOnCluster(cluster, options, check.keep, out);
        FailoverVerify.write(result, check.outFile);
        out.printf(Locale.ROOT, "expected %d, seen %d, duplicates %d, gaps %d, recovery %.1f s -> %s%n", result.expected(),
                result.seen(), result.duplicates(), result.gaps(),
                result.recoverySeconds() == null ? Double.NaN : result.recoverySeconds(), check.outFile);
        out.println(result.exactlyOnce() ? "exactly once across the TaskManager kill: no record lost, none duplicated"
                : "FAILED: the job did not deliver every frame exactly once (job " + result.finalState() + ")");
        return result.exactlyOnce() ? 0 : 1;
    }

    public static int upgrade(String[] args, PrintStream out, PrintStream err) throws Exception {
        CheckOptions check = new CheckOptions(2, Path.of("bench-results", "upgrade.json"));
        Args in = new Args(args, 0);
        int from = 1;
        int to = 2;
        double stopAt = 0.4;
        while (in.hasNext()) {
            String option = in.option();
            if (check.read(option, in)) {
                continue;
            }
            switch (option) {
                case "--from" -> from = Integer.parseInt(in.value());
                case "--to" -> to = Integer.parseInt(in.value());
                case "--stop-at" -> stopAt = Double.parseDouble(in.value());
                default -> {
                    err.println("unknown option " + option);
                    err.println("usage: ./bitvision verify-upgrade [--cameras 2] [--frames 300] [--from 1] [--to 2] "
                            + "[--stop-at 0.4] [--out bench-results/upgrade.json] [--keep-cluster]");
                    return 2;
                }
            }
        }
        if (check.cameras < 1 || from < 1 || to < 1 || stopAt <= 0 || stopAt >= 1) {
            err.println("--cameras, --from and --to must be positive, --stop-at in (0, 1)");
            return 2;
        }
        Path video = check.video();
        LocalCluster cluster = check.cluster();
        UpgradeVerify.Options options = new UpgradeVerify.Options(video, check.frames, check.cameras, from, to,
                check.checkpointMs, stopAt, check.jobJar, check.model, CLIP_DIR, Path.of("").toAbsolutePath(),
                check.timeout());
        boolean started = !cluster.isUp();
        cluster.up(out);
        UpgradeVerify.Result result;
        try {
            result = UpgradeVerify.run(cluster, options, out);
        } finally {
            if (started && !check.keep) {
                cluster.down(out, false);
            }
        }
        Path outFile = check.outFile;
        CheckRun.writeReport(result.toJson(), outFile);
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

    /** A cluster with the default settings for these directories; fails when Flink's lib is not built. */
    private static LocalCluster checkedCluster(Path stateDir, Path flinkLib) {
        LocalCluster cluster = new LocalCluster(LocalCluster.Settings.defaults(stateDir, flinkLib));
        checkFlinkLib(cluster);
        return cluster;
    }

    private static void checkFlinkLib(LocalCluster cluster) {
        Path lib = cluster.settings().flinkLib();
        if (!Files.isDirectory(lib)) {
            throw new IllegalArgumentException("Flink's lib " + lib + " is missing: build it with ./mvnw -DskipTests package -pl cluster");
        }
    }

    /** The command line read left to right: an option, then the value it takes, if any. */
    private static final class Args {
        private final String[] args;
        private int next;

        Args(String[] args, int first) {
            this.args = args;
            this.next = first;
        }

        boolean hasNext() {
            return next < args.length;
        }

        String option() {
            return args[next++];
        }

        /** The option's value; a missing one throws ArrayIndexOutOfBoundsException, as {@code args[++i]} did. */
        String value() {
            return args[next++];
        }
    }

    /** The options verify-cluster and verify-upgrade share; each check has its own default camera count and report. */
    private static final class CheckOptions {
        Path stateDir = DEFAULT_STATE_DIR;
        Path flinkLib = DEFAULT_FLINK_LIB;
        Path jobJar = DEFAULT_JOB_JAR;
        Path model = Files.isRegularFile(DEFAULT_MODEL) ? DEFAULT_MODEL : null;
        Path outFile;
        Path video;
        int cameras;
        int frames = 300;
        long checkpointMs = 1000;
        long timeoutS = 900;
        boolean keep;

        CheckOptions(int cameras, Path outFile) {
            this.cameras = cameras;
            this.outFile = outFile;
        }

        /** Takes {@code option}, and its value from {@code in}, if it is one of these; false if not. */
        boolean read(String option, Args in) {
            switch (option) {
                case "--cameras" -> cameras = Integer.parseInt(in.value());
                case "--frames" -> frames = Integer.parseInt(in.value());
                case "--checkpoint-ms" -> checkpointMs = Long.parseLong(in.value());
                case "--video" -> video = Path.of(in.value());
                case "--model" -> model = Path.of(in.value());
                case "--job-jar" -> jobJar = Path.of(in.value());
                case "--out" -> outFile = Path.of(in.value());
                case "--timeout-s" -> timeoutS = Long.parseLong(in.value());
                case "--state-dir" -> stateDir = Path.of(in.value());
                case "--flink-lib" -> flinkLib = Path.of(in.value());
                case "--keep-cluster" -> keep = true;
                default -> {
                    return false;
                }
            }
            return true;
        }

        /** {@code --video}, or the sample video. */
        Path video() throws IOException {
            return video != null ? video : SampleVideo.vtest(CLIP_DIR);
        }

        LocalCluster cluster() {
            return checkedCluster(stateDir, flinkLib);
        }

        Duration timeout() {
            return Duration.ofSeconds(timeoutS);
        }
    }
}
