package io.bitvision.localcluster;

import io.bitvision.testkit.broker.StandaloneBroker;
import io.bitvision.operators.kafka.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * A real cluster on one machine, without Docker: a Kafka broker ({@link StandaloneBroker}) and a Flink standalone
 * session cluster (one JobManager, N TaskManagers) as separate JVMs on 127.0.0.1, started from Flink's own entry
 * points ({@code StandaloneSessionClusterEntrypoint}, {@code TaskManagerRunner}) with the class path of a Flink
 * distribution's lib/ (the {@code localcluster/flink-lib} module's {@code target/flink-lib}) and JVM memory flags computed by
 * Flink's {@code BashJavaUtils}, as {@code bin/jobmanager.sh} and {@code bin/taskmanager.sh} do.
 *
 * <p>Everything lives in one state directory: {@code conf/} (config.yaml, log4j), {@code pids/},
 * {@code logs/}, {@code kafka/} (broker storage), {@code checkpoints/}, {@code savepoints/}, {@code tmp/} and
 * {@code cluster.properties} (the ports). Ports are free loopback ports chosen at {@link #up} (the previous ones
 * again when they are still free). The JVMs outlive the command that started them; {@link #down} stops them by pid.
 */
public final class LocalCluster {
    /** The JVM options Flink's distribution sets in config.yaml (env.java.opts.all) for Java 17 and newer. */
    static final List<String> FLINK_JDK_OPTS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");
    /** What our job needs on top (docs/pipeline.md, "On a Flink 2.2 cluster"): the Vector API and Avro's trusted package. */
    static final List<String> JOB_JVM_OPTS = List.of("--add-modules=jdk.incubator.vector",
            "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.bitvision.schemas");

    static final String BROKER = "broker";
    static final String JOBMANAGER = "jobmanager";
    private static final String TASKMANAGER_PREFIX = "taskmanager-";
    private static final String BASH_JAVA_UTILS_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    /**
     * How to build the cluster.
     *
     * @param stateDir         where conf, pids, logs, broker data and checkpoints go
     * @param flinkLib         Flink's lib/: the class path of the JobManager, the TaskManagers and the client
     * @param brokerClasspath  class path of the broker JVM (bitvision-broker and Kafka)
     * @param taskManagers     how many TaskManagers
     * @param slotsPerTaskManager task slots of each
     * @param topicPartitions  partitions of the job's topics, created at start
     */
    public record Settings(Path stateDir, Path flinkLib, String brokerClasspath, int taskManagers,
                           int slotsPerTaskManager, String taskManagerMemory, String jobManagerMemory,
                           int topicPartitions) {
        public Settings {
            stateDir = stateDir.toAbsolutePath().normalize();
            flinkLib = flinkLib.toAbsolutePath().normalize();
        }

        /** Two TaskManagers of two slots each (one can carry the whole job at parallelism 2 when the other dies). */
        public static Settings defaults(Path stateDir, Path flinkLib) {
            return new Settings(stateDir, flinkLib, absoluteClasspath(System.getProperty("java.class.path")), 2, 2,
                    "1600m", "1024m", 2);
        }
    }

    /** Addresses of a running cluster, as written to {@code cluster.properties}. */
    public record Endpoints(int kafkaPort, int controllerPort, int jobManagerRpcPort, int restPort) {
        public String bootstrap() {
            return "127.0.0.1:" + kafkaPort;
        }

        public String restUrl() {
            return "http://127.0.0.1:" + restPort;
        }

        Properties toProperties() {
            Properties p = new Properties();
            p.setProperty("bootstrap", bootstrap());
            p.setProperty("rest", restUrl());
            p.setProperty("kafka.port", Integer.toString(kafkaPort));
            p.setProperty("kafka.controller.port", Integer.toString(controllerPort));
            p.setProperty("jobmanager.rpc.port", Integer.toString(jobManagerRpcPort));
            p.setProperty("rest.port", Integer.toString(restPort));
            return p;
        }

        static Endpoints of(Properties p) {
            return new Endpoints(Integer.parseInt(p.getProperty("kafka.port")),
                    Integer.parseInt(p.getProperty("kafka.controller.port")),
                    Integer.parseInt(p.getProperty("jobmanager.rpc.port")), Integer.parseInt(p.getProperty("rest.port")));
        }
    }

    private final Settings settings;

    public LocalCluster(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    public Path confDir() {
        return settings.stateDir().resolve("conf");
    }

    public Path logDir() {
        return settings.stateDir().resolve("logs");
    }

    private Path pidFile(String component) {
        return settings.stateDir().resolve("pids").resolve(component + ".pid");
    }

    private Path portsFile() {
        return settings.stateDir().resolve("cluster.properties");
    }

    public static String taskManagerName(int index) {
        return TASKMANAGER_PREFIX + index;
    }

    /** The components {@link #up} starts, in start order. */
    public List<String> components() {
        List<String> names = new ArrayList<>(List.of(BROKER, JOBMANAGER));
        for (int i = 1; i <= settings.taskManagers(); i++) {
            names.add(taskManagerName(i));
        }
        return names;
    }

    /** Components with a pid file, also TaskManagers started beyond the configured number. */
    private List<String> recordedComponents() throws IOException {
        List<String> names = new ArrayList<>(components());
        Path pids = settings.stateDir().resolve("pids");
        if (Files.isDirectory(pids)) {
            try (var files = Files.list(pids)) {
                files.map(f -> f.getFileName().toString())
                        .filter(f -> f.endsWith(".pid"))
                        .map(f -> f.substring(0, f.length() - 4))
                        .filter(name -> !names.contains(name))
                        .sorted()
                        .forEach(names::add);
            }
        }
        return names;
    }

    /**
     * The live process of a component: the pid file holds the pid and the process's start time, so a pid that was
     * reused by another process after ours died is not taken for ours.
     */
    public Optional<ProcessHandle> process(String component) {
        Path file = pidFile(component);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        long pid;
        long startMs;
        try {
            String[] fields = Files.readString(file).trim().split("\\s+");
            pid = Long.parseLong(fields[0]);
            startMs = fields.length > 1 ? Long.parseLong(fields[1]) : -1;
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> startMs < 0 || p.info().startInstant()
                        .map(t -> Math.abs(t.toEpochMilli() - startMs) <= 2000).orElse(true));
    }

    /** Whether every component has a live process. */
    public boolean isUp() {
        return components().stream().allMatch(c -> process(c).isPresent()) && Files.isRegularFile(portsFile());
    }

    public Endpoints endpoints() throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(portsFile())) {
            p.load(in);
        }
        return Endpoints.of(p);
    }

    public FlinkRest rest() throws IOException {
        return new FlinkRest(endpoints().restUrl());
    }

    /**
     * Starts what is not running yet and waits until the broker accepts clients and every TaskManager has registered
     * with the JobManager. A cluster that is already up is left as it is.
     */
    public Endpoints up(PrintStream log) throws Exception {
        if (isUp()) {
            log.println("cluster already up in " + settings.stateDir());
            return endpoints();
        }
        // Leftovers of a half-started or half-killed cluster go first, so ports and pid files are consistent.
        down(log, false);
        Files.createDirectories(settings.stateDir().resolve("pids"));
        Files.createDirectories(logDir());
        Files.createDirectories(settings.stateDir().resolve("tmp"));
        Endpoints endpoints = choosePorts();
        writeConfig(endpoints);
        try (var out = Files.newOutputStream(portsFile())) {
            endpoints.toProperties().store(out, "bitvision local cluster");
        }

        long started = System.nanoTime();
        startBroker(endpoints);
        List<String> jobManagerParams = flinkJvmParams("GET_JM_RESOURCE_PARAMS");
        List<String> taskManagerParams = flinkJvmParams("GET_TM_RESOURCE_PARAMS");
        startFlinkProcess(JOBMANAGER, "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                jobManagerParams, List.of());
        for (int i = 1; i <= settings.taskManagers(); i++) {
            startTaskManager(taskManagerName(i), taskManagerParams);
        }
        awaitBroker(endpoints);
        createTopics(endpoints);
        awaitTaskManagers(endpoints, settings.taskManagers());
        log.printf(java.util.Locale.ROOT, "cluster up in %.1f s: Kafka %s, Flink REST %s, %d TaskManagers x %d slots, state in %s%n",
                (System.nanoTime() - started) / 1e9, endpoints.bootstrap(), endpoints.restUrl(), settings.taskManagers(),
                settings.slotsPerTaskManager(), settings.stateDir());
        return endpoints;
    }

    /** Starts (another) TaskManager under {@code name}, e.g. to replace one that was killed. */
    public void startTaskManager(String name) throws Exception {
        startTaskManager(name, flinkJvmParams("GET_TM_RESOURCE_PARAMS"));
    }

    private void startTaskManager(String name, List<String> params) throws IOException {
        startFlinkProcess(name, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", params,
                List.of("-D", "taskmanager.resource-id=" + name));
    }

    /**
     * Stops every process of the cluster by pid: SIGTERM, and SIGKILL to what is still alive after a grace period.
     * TaskManagers first, then the JobManager, then the broker. Safe to call on a cluster that is down.
     *
     * @param purge also delete the state directory (broker data, checkpoints, logs)
     */
    public void down(PrintStream log, boolean purge) throws IOException {
        List<String> names = recordedComponents();
        List<String> flink = names.stream().filter(n -> !n.equals(BROKER)).toList();
        stop(flink, log);
        stop(List.of(BROKER), log);
        for (String name : names) {
            Files.deleteIfExists(pidFile(name));
        }
        if (purge && Files.isDirectory(settings.stateDir())) {
            try (var walk = Files.walk(settings.stateDir())) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            log.println("deleted " + settings.stateDir());
        }
    }

    private void stop(List<String> names, PrintStream log) {
        Map<String, ProcessHandle> running = new LinkedHashMap<>();
        for (String name : names) {
            process(name).ifPresent(p -> running.put(name, p));
        }
        running.values().forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (Map.Entry<String, ProcessHandle> e : running.entrySet()) {
            ProcessHandle p = e.getValue();
            try {
                p.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                log.println("stopped " + e.getKey() + " (pid " + p.pid() + ")");
            } catch (Exception timeout) {
                p.destroyForcibly();
                log.println("killed " + e.getKey() + " (pid " + p.pid() + ") after " + STOP_GRACE.toSeconds() + " s");
            }
        }
    }

    /** Sends SIGKILL to a component (as {@code kill -9 PID} does) and returns its pid. */
    public long kill(String component) throws InterruptedException {
        ProcessHandle p = process(component)
                .orElseThrow(() -> new IllegalStateException(component + " is not running"));
        // ProcessHandle.destroyForcibly is SIGKILL on Linux: no shutdown hooks, no goodbye to the JobManager.
        p.destroyForcibly();
        try {
            p.onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(component + " (pid " + p.pid() + ") did not die on SIGKILL", e);
        }
        return p.pid();
    }

    /** One line per component (pid or "down") and what the JobManager reports. */
    public Map<String, Object> status() throws IOException {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("state_dir", settings.stateDir().toString());
        for (String name : recordedComponents()) {
            status.put(name, process(name).map(p -> "running, pid " + p.pid()).orElse("down"));
        }
        if (Files.isRegularFile(portsFile())) {
            Endpoints e = endpoints();
            status.put("kafka", e.bootstrap());
            status.put("flink_rest", e.restUrl());
            try {
                JsonNode overview = new FlinkRest(e.restUrl()).get("/overview");
                status.put("taskmanagers_registered", overview.path("taskmanagers").asInt());
                status.put("slots_total", overview.path("slots-total").asInt());
                status.put("slots_available", overview.path("slots-available").asInt());
                status.put("jobs_running", overview.path("jobs-running").asInt());
                status.put("flink_version", overview.path("flink-version").asText());
            } catch (IOException ex) {
                status.put("flink_rest_error", ex.toString());
            }
        }
        return status;
    }

    private Endpoints choosePorts() throws IOException {
        if (Files.isRegularFile(portsFile())) {
            Endpoints previous = endpoints();
            if (free(previous.kafkaPort()) && free(previous.controllerPort()) && free(previous.jobManagerRpcPort())
                    && free(previous.restPort())) {
                return previous;
            }
        }
        int[] ports = freePorts(4);
        return new Endpoints(ports[0], ports[1], ports[2], ports[3]);
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    /** config.yaml as an operator would write it for this cluster, and log4j files for the JVMs and the client. */
    private void writeConfig(Endpoints e) throws IOException {
        Path conf = Files.createDirectories(confDir());
        Path state = settings.stateDir();
        List<String> javaOpts = new ArrayList<>(FLINK_JDK_OPTS);
        javaOpts.addAll(JOB_JVM_OPTS);
        String yaml = """
                # Written by `./bitvision cluster up`; ports are in ../cluster.properties too.
                # Java 17+ options of Flink's distribution, plus the Vector API and Avro's trusted package for our job.
                # (Read by Flink's bin/ scripts; ./bitvision passes the same options to the JVMs it starts.)
                env.java.opts.all: %s

                jobmanager.rpc.address: 127.0.0.1
                jobmanager.rpc.port: %d
                jobmanager.bind-host: 127.0.0.1
                jobmanager.memory.process.size: %s
                jobmanager.execution.failover-strategy: region

                taskmanager.host: 127.0.0.1
                taskmanager.bind-host: 127.0.0.1
                taskmanager.numberOfTaskSlots: %d
                taskmanager.memory.process.size: %s
                # The job keeps its state on the heap (hashmap backend); managed memory is for RocksDB and batch.
                taskmanager.memory.managed.fraction: 0.05
                # Spread a job's slots over the TaskManagers instead of filling one first.
                taskmanager.load-balance.mode: slots

                rest.address: 127.0.0.1
                rest.bind-address: 127.0.0.1
                rest.port: %d
                parallelism.default: 1

                # A dead TaskManager is noticed within seconds, not after the default 50 s.
                heartbeat.interval: 1000
                heartbeat.timeout: 5000

                state.backend.type: hashmap
                execution.checkpointing.dir: %s
                execution.checkpointing.savepoint-dir: %s
                execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION
                restart-strategy.type: fixed-delay
                restart-strategy.fixed-delay.attempts: 10
                restart-strategy.fixed-delay.delay: 2 s

                io.tmp.dirs: %s
                web.tmpdir: %s
                """.formatted(String.join(" ", javaOpts), e.jobManagerRpcPort(), settings.jobManagerMemory(),
                settings.slotsPerTaskManager(), settings.taskManagerMemory(), e.restPort(),
                state.resolve("checkpoints").toUri(), state.resolve("savepoints").toUri(), state.resolve("tmp"),
                state.resolve("tmp"));
        Files.writeString(conf.resolve("config.yaml"), yaml);
        String log4j = """
                # Each JVM logs to the file named by -Dlog.file (logs/<component>.log), as Flink's scripts set it up.
                monitorInterval = 30
                rootLogger.level = INFO
                rootLogger.appenderRef.file.ref = MainAppender
                logger.kafka.name = org.apache.kafka
                logger.kafka.level = WARN
                appender.main.name = MainAppender
                appender.main.type = File
                appender.main.append = true
                appender.main.fileName = ${sys:log.file}
                appender.main.layout.type = PatternLayout
                appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
                """;
        Files.writeString(conf.resolve("log4j.properties"), log4j);
        Files.writeString(conf.resolve("log4j-cli.properties"), log4j);
        writeFlinkScript(javaOpts);
    }

    /** bin/flink: Flink's command line (run, list, cancel, stop, savepoint, ...) against this cluster. */
    public Path flinkScript() {
        return settings.stateDir().resolve("bin").resolve("flink");
    }

    private void writeFlinkScript(List<String> javaOpts) throws IOException {
        Path script = flinkScript();
        Files.createDirectories(script.getParent());
        Files.writeString(script, """
                #!/bin/sh
                # Flink's CLI (bin/flink of a distribution) for the cluster in %s, written by `./bitvision cluster up`.
                # e.g. %s run -d jobs/target/bitvision-job.jar --bootstrap HOST:PORT --camera ID=URL ...
                FLINK_CONF_DIR='%s' exec '%s' -Xmx512m %s -Dlog.file='%s' -Dlog4j.configurationFile='%s' \\
                  -cp '%s/*' org.apache.flink.client.cli.CliFrontend "$@"
                """.formatted(settings.stateDir(), script, confDir(), java(), String.join(" ", javaOpts),
                logDir().resolve("client.log"), confDir().resolve("log4j-cli.properties").toUri(), settings.flinkLib()));
        script.toFile().setExecutable(true);
    }

    /** What Flink's scripts compute before starting a JVM: line 1 JVM memory flags, line 2 "-D key=value" pairs. */
    private List<String> flinkJvmParams(String command) throws IOException, InterruptedException {
        Path logFile = logDir().resolve("bash-java-utils.log");
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx128m", "-cp", settings.flinkLib() + "/*",
                "-Dlog.file=" + logFile, "-Dlog4j.configurationFile=" + confDir().resolve("log4j.properties").toUri(),
                "org.apache.flink.runtime.util.bash.BashJavaUtils", command, "--configDir", confDir().toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("BashJavaUtils " + command + " failed: " + output);
        }
        List<String> result = output.lines().filter(l -> l.startsWith(BASH_JAVA_UTILS_PREFIX))
                .map(l -> l.substring(BASH_JAVA_UTILS_PREFIX.length())).toList();
        if (result.size() < 2) {
            throw new IllegalStateException("BashJavaUtils " + command + " printed no result: " + output);
        }
        List<String> params = new ArrayList<>(Arrays.asList(result.get(0).trim().split("\\s+")));
        params.add("--");
        params.addAll(Arrays.asList(result.get(1).trim().split("\\s+")));
        return params;
    }

    private void startFlinkProcess(String name, String mainClass, List<String> params, List<String> extraArgs)
            throws IOException {
        int split = params.indexOf("--");
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(params.subList(0, split));
        cmd.addAll(FLINK_JDK_OPTS);
        cmd.addAll(JOB_JVM_OPTS);
        cmd.add("-Dlog.file=" + logDir().resolve(name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + confDir().resolve("log4j.properties").toUri());
        cmd.addAll(List.of("-cp", settings.flinkLib() + "/*", mainClass, "--configDir", confDir().toString()));
        cmd.addAll(params.subList(split + 1, params.size()));
        cmd.addAll(extraArgs);
        daemon(name, cmd);
    }

    private void startBroker(Endpoints e) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx512m"));
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(List.of("-cp", settings.brokerClasspath(), StandaloneBroker.class.getName(),
                "--port", Integer.toString(e.kafkaPort()), "--controller-port", Integer.toString(e.controllerPort()),
                "--data-dir", settings.stateDir().resolve("kafka").toString()));
        daemon(BROKER, cmd);
    }

    /** Starts a process that outlives us: own session (setsid), output to logs/NAME.out, pid to pids/NAME.pid. */
    private void daemon(String name, List<String> cmd) throws IOException {
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            full.add("/usr/bin/setsid");
        }
        full.addAll(cmd);
        Path out = logDir().resolve(name + ".out");
        Process p = new ProcessBuilder(full)
                .directory(settings.stateDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        long startMs = p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L);
        Files.writeString(pidFile(name), p.pid() + " " + startMs + "\n");
    }

    private void awaitBroker(Endpoints e) throws Exception {
        Path out = logDir().resolve(BROKER + ".out");
        String ready = StandaloneBroker.READY_PREFIX + "127.0.0.1:" + e.kafkaPort();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.readString(out).contains(ready)) {
            if (process(BROKER).isEmpty()) {
                throw new IllegalStateException("the broker exited during startup; see " + out);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not start within " + START_TIMEOUT + "; see " + out);
            }
            Thread.sleep(200);
        }
    }

    private void createTopics(Endpoints e) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, e.bootstrap());
        try (Admin admin = Admin.create(props)) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Arrays.stream(Topics.defaults().all())
                    .filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, settings.topicPartitions(), (short) 1))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits until {@code count} TaskManagers are registered with the JobManager. */
    public void awaitTaskManagers(Endpoints e, int count) throws Exception {
        FlinkRest rest = new FlinkRest(e.restUrl());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        int registered = -1;
        while (true) {
            try {
                registered = rest.get("/overview").path("taskmanagers").asInt();
                if (registered >= count) {
                    return;
                }
            } catch (IOException notYet) {
                // The JobManager's REST endpoint is not up yet.
            }
            if (process(JOBMANAGER).isEmpty()) {
                throw new IllegalStateException("the JobManager exited during startup; see " + logDir().resolve("jobmanager.log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(registered + " of " + count + " TaskManagers registered within "
                        + START_TIMEOUT + "; see " + logDir());
            }
            Thread.sleep(250);
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The class path with every entry made absolute (our daemons run in the state directory). */
    static String absoluteClasspath(String classpath) {
        return Arrays.stream(classpath.split(java.io.File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(s -> Path.of(s).toAbsolutePath().normalize().toString())
                .reduce((a, b) -> a + java.io.File.pathSeparator + b)
                .orElseThrow(() -> new UncheckedIOException(new IOException("empty class path")));
    }
}
