package io.bitvision.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Submits the job jar the way an operator does, with Flink's own command line ({@code flink run -d JAR ARGS}, i.e.
 * {@code org.apache.flink.client.cli.CliFrontend} on Flink's lib/ with {@code FLINK_CONF_DIR} pointing at the
 * cluster's conf/). The client runs the job's main(), which reads the model file and ships it with the job graph,
 * then uploads the jar and the graph through the JobManager's REST API.
 */
public final class JobSubmission {
    private static final Pattern SUBMITTED = Pattern.compile("Job has been submitted with JobID ([0-9a-f]{32})");
    private static final long TIMEOUT_SECONDS = 180;

    private JobSubmission() {}

    /**
     * @param workDir the client's working directory (relative paths in {@code jobArgs} resolve against it)
     * @return the job id
     */
    public static String submitDetached(LocalCluster cluster, Path jobJar, List<String> jobArgs, Path workDir)
            throws IOException, InterruptedException {
        return submitDetached(cluster, List.of(), jobJar, jobArgs, workDir);
    }

    /** @param runOptions options of {@code flink run} before the jar, e.g. {@code -s SAVEPOINT} */
    public static String submitDetached(LocalCluster cluster, List<String> runOptions, Path jobJar, List<String> jobArgs,
                                        Path workDir) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jobJar)) {
            throw new IllegalArgumentException("job jar " + jobJar + " not found: build it with ./mvnw -Pjob-jar -DskipTests package");
        }
        String output = flink(cluster, cmdTail(runOptions, jobJar, jobArgs), workDir);
        Matcher m = SUBMITTED.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("flink run printed no job id:\n" + tail(output, 3000));
        }
        return m.group(1);
    }

    private static List<String> cmdTail(List<String> runOptions, Path jobJar, List<String> jobArgs) {
        List<String> args = new ArrayList<>(List.of("run", "-d"));
        args.addAll(runOptions);
        args.add(jobJar.toAbsolutePath().toString());
        args.addAll(jobArgs);
        return args;
    }

    /**
     * {@code flink ARGS} (Flink's CLI, e.g. {@code stop --savepointPath DIR JOB}) against the cluster; its output, or an
     * exception with it when the command fails.
     */
    public static String flink(LocalCluster cluster, List<String> flinkArgs, Path workDir)
            throws IOException, InterruptedException {
        Path log = cluster.logDir().resolve("client-" + System.currentTimeMillis());
        List<String> cmd = new ArrayList<>(List.of(LocalCluster.java(), "-Xmx512m"));
        cmd.addAll(LocalCluster.FLINK_JDK_OPTS);
        cmd.addAll(LocalCluster.JOB_JVM_OPTS);
        cmd.add("-Dlog.file=" + log + ".log");
        cmd.add("-Dlog4j.configurationFile=" + cluster.confDir().resolve("log4j-cli.properties").toUri());
        cmd.addAll(List.of("-cp", cluster.settings().flinkLib() + "/*", "org.apache.flink.client.cli.CliFrontend"));
        cmd.addAll(flinkArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(Path.of(log + ".out").toFile());
        pb.environment().put("FLINK_CONF_DIR", cluster.confDir().toString());
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("flink " + flinkArgs.get(0) + " did not return within " + TIMEOUT_SECONDS + " s; see " + log + ".out");
        }
        String output = Files.readString(Path.of(log + ".out"));
        if (p.exitValue() != 0) {
            throw new IllegalStateException("flink " + flinkArgs.get(0) + " failed (exit " + p.exitValue() + "):\n"
                    + tail(output, 3000));
        }
        return output;
    }

    private static String tail(String s, int chars) {
        return s.length() <= chars ? s : "..." + s.substring(s.length() - chars);
    }
}
