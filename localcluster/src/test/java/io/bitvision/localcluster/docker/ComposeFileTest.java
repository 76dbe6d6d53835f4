package io.bitvision.localcluster.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.operators.kafka.ExactlyOnceSinks;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What can be checked of docker/ without a Docker engine: Debian's docker-compose 1.29 parses, validates and renders
 * docker/compose.yaml ({@code docker-compose -f docker/compose.yaml config}, no engine needed; {@code ./bitvision
 * test} installs the package, and these tests fail without it), and the rendered file is checked against the rest of
 * the repository: the services, the Flink settings (Prometheus reporter, the Vector API module, a checkpoint volume
 * shared by every Flink container), the broker settings exactly once needs, the Dockerfiles and what they copy, and
 * the job jar against what the job-jar profile of jobs/pom.xml builds.
 */
class ComposeFileTest {
    private static final List<String> REQUIRED_SERVICES = List.of("kafka", "jobmanager", "taskmanager", "submit", "camera");
    private static final List<String> FLINK_SERVICES = List.of("jobmanager", "taskmanager", "submit");
    private static final String PROMETHEUS_FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

    private static Path root;
    private static Path compose;
    private static Map<String, Object> config;

    @BeforeAll
    static void renderComposeFile() throws Exception {
        root = repositoryRoot();
        compose = root.resolve("docker/compose.yaml");
        Result result = dockerCompose(root, "-f", compose.toString(), "config");
        assertThat(result.status()).as("docker-compose -f docker/compose.yaml config failed:%n%s", result.err()).isZero();
        config = yamlMap(new Load(LoadSettings.builder().build()).loadFromString(result.out()), "rendered compose file");
    }

    @Test
    void rendersEveryServiceOfTheStack() {
        assertThat(services().keySet()).containsAll(REQUIRED_SERVICES);
        assertThat(service("jobmanager").get("command")).hasToString("jobmanager");
        assertThat(service("taskmanager").get("command")).hasToString("taskmanager");
        assertThat(String.valueOf(service("submit").get("restart"))).isEqualTo("no");
    }

    @Test
    void everyFlinkContainerRunsThePrometheusReporterAndTheVectorModule() {
        for (String name : FLINK_SERVICES) {
            Map<String, String> flink = flinkProperties(name);
            assertThat(flink).as(name)
                    .containsEntry("metrics.reporter.prom.factory.class", PROMETHEUS_FACTORY)
                    .containsEntry("metrics.reporter.prom.port", "9249")
                    .containsEntry("jobmanager.rpc.address", "jobmanager");
            assertThat(flink.get("env.java.opts.all")).as(name + " env.java.opts.all")
                    .contains("--add-modules jdk.incubator.vector");
        }
    }

    @Test
    void prometheusScrapesThePortTheReporterListensOn() throws Exception {
        String port = flinkProperties("taskmanager").get("metrics.reporter.prom.port");
        Path prometheusYml = bindMountSource(service("prometheus"), "/etc/prometheus/prometheus.yml");
        String text = Files.readString(prometheusYml);
        assertThat(text).contains("jobmanager:" + port).contains("names: [\"taskmanager\"]").contains("port: " + port);
    }

    @Test
    void checkpointsGoToAVolumeEveryFlinkContainerMounts() {
        String dir = flinkProperties("jobmanager").get("execution.checkpointing.dir");
        assertThat(dir).startsWith("file://");
        String path = dir.substring("file://".length());
        for (String name : FLINK_SERVICES) {
            assertThat(flinkProperties(name).get("execution.checkpointing.dir")).as(name).isEqualTo(dir);
            List<String> volumes = volumeTargets(service(name));
            assertThat(volumes).as(name + " volumes").contains(path);
        }
        assertThat(flinkProperties("jobmanager")).containsEntry("execution.checkpointing.externalized-checkpoint-retention",
                "RETAIN_ON_CANCELLATION");
    }

    @Test
    void brokerIsReachableByServiceNameAndAllowsTheJobsTransactions() throws Exception {
        Map<String, Object> kafka = environment(service("kafka"));
        String bootstrap = String.valueOf(environment(service("submit")).get("BITVISION_BOOTSTRAP"));
        assertThat(String.valueOf(kafka.get("KAFKA_ADVERTISED_LISTENERS"))).contains("://" + bootstrap);
        assertThat(String.valueOf(kafka.get("KAFKA_PROCESS_ROLES"))).contains("broker").contains("controller");
        assertThat(String.valueOf(kafka.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"))).isEqualTo("1");
        assertThat(String.valueOf(kafka.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"))).isEqualTo("1");
        Object maxTimeout = kafka.get("KAFKA_TRANSACTION_MAX_TIMEOUT_MS");
        long brokerMax = maxTimeout == null ? 900_000L : Long.parseLong(String.valueOf(maxTimeout));
        assertThat(brokerMax).as("transaction.max.timeout.ms against the sink's transaction.timeout.ms")
                .isGreaterThanOrEqualTo(ExactlyOnceSinks.DEFAULT_TRANSACTION_TIMEOUT_MS);
        assertThat(String.valueOf(service("kafka").get("image")))
                .isEqualTo("apache/kafka:" + rootPomProperty("kafka.version"));
    }

    @Test
    void buildContextsDockerfilesAndWhatTheyCopyExist() throws Exception {
        String jobJar = jobJarPath();
        int builds = 0;
        for (Map.Entry<String, Object> entry : services().entrySet()) {
            Map<String, Object> service = yamlMap(entry.getValue(), entry.getKey());
            if (!service.containsKey("build")) {
                continue;
            }
            builds++;
            Path context = buildContext(service);
            Path dockerfile = dockerfile(service);
            assertThat(context).as(entry.getKey() + " build context").isDirectory();
            assertThat(dockerfile).as(entry.getKey() + " Dockerfile").isRegularFile();
            Path ignore = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
            for (Copy copy : copies(dockerfile)) {
                for (String source : copy.sources()) {
                    if (!source.equals(jobJar)) { // the jar is a build output: checked against the pom below
                        assertThat(context.resolve(source)).as(dockerfile + ": COPY " + source).exists();
                    }
                    if (Files.exists(ignore)) {
                        assertThat(Files.readAllLines(ignore)).as(ignore + " lets COPY " + source + " through")
                                .contains("!" + source);
                    }
                }
            }
        }
        assertThat(builds).isGreaterThanOrEqualTo(2);
    }

    @Test
    void flinkImageCopiesTheJarTheJobJarProfileBuilds() throws Exception {
        Path dockerfile = dockerfile(service("jobmanager"));
        for (String name : FLINK_SERVICES) {
            assertThat(dockerfile(service(name))).as(name).isEqualTo(dockerfile);
            assertThat(String.valueOf(service(name).get("platform"))).as(name + " platform (x86-64 natives in the jar)")
                    .isEqualTo("linux/amd64");
        }
        String jobJar = jobJarPath();
        List<Copy> copies = copies(dockerfile);
        Copy jar = copies.stream().filter(c -> c.sources().contains(jobJar)).findFirst().orElse(null);
        assertThat(jar).as(dockerfile + " copies " + jobJar + " (jobs/pom.xml, profile job-jar)").isNotNull();

        // The submission runs that jar, and the script the Dockerfile installs under the name compose calls.
        Path submitScript = root.resolve("docker/flink/submit.sh");
        assertThat(Files.readString(submitScript)).contains("JAR=" + jar.destination());
        Copy script = copies.stream().filter(c -> c.sources().contains("docker/flink/submit.sh")).findFirst().orElseThrow();
        Object command = service("submit").get("command");
        String first = command instanceof List<?> list ? String.valueOf(list.get(0)) : String.valueOf(command).split(" ")[0];
        assertThat(script.destination()).endsWith("/bin/" + first);

        // The official Flink image of the Flink version the job is built against, Java 21 flavour.
        Matcher from = Pattern.compile("(?m)^ARG FLINK_IMAGE=(\\S+)$").matcher(Files.readString(dockerfile));
        assertThat(from.find()).as(dockerfile + " ARG FLINK_IMAGE").isTrue();
        assertThat(from.group(1)).startsWith("flink:" + rootPomProperty("flink.version") + "-").endsWith("-java21");
    }

    @Test
    void scriptsInTheImagesParse() throws Exception {
        Result bash = run(root, List.of("bash", "-n", root.resolve("docker/flink/submit.sh").toString()));
        assertThat(bash.status()).as(bash.err()).isZero();
        Result python = run(root, List.of("python3", "-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())",
                root.resolve("docker/camera/serve_rtsp.py").toString()));
        assertThat(python.status()).as(python.err()).isZero();
    }

    /** The check above can fail: the same command rejects a file with a misspelt key. */
    @Test
    void configRejectsABrokenComposeFile(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("compose.yaml");
        Files.writeString(broken, """
                services:
                  kafka:
                    image: apache/kafka:4.2.2
                    enviroment:
                      KAFKA_NODE_ID: 1
                """);
        Result result = dockerCompose(dir, "-f", broken.toString(), "config");
        assertThat(result.status()).isNotZero();
        assertThat(result.err()).contains("enviroment");
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Map<String, Object> services() {
        return yamlMap(config.get("services"), "services");
    }

    private static Map<String, Object> service(String name) {
        assertThat(services()).as("services").containsKey(name);
        return yamlMap(services().get(name), name);
    }

    private static Map<String, Object> environment(Map<String, Object> service) {
        Object env = service.get("environment");
        return env == null ? Map.of() : yamlMap(env, "environment");
    }

    /** FLINK_PROPERTIES read as the Flink image's entrypoint reads it: one "key: value" a line, split at the first colon. */
    private static Map<String, String> flinkProperties(String serviceName) {
        Object text = environment(service(serviceName)).get("FLINK_PROPERTIES");
        assertThat(text).as(serviceName + " FLINK_PROPERTIES").isNotNull();
        Map<String, String> properties = new LinkedHashMap<>();
        for (String line : String.valueOf(text).split("\n")) {
            String trimmed = line.strip();
            int colon = trimmed.indexOf(':');
            if (!trimmed.isEmpty() && colon > 0) {
                properties.put(trimmed.substring(0, colon).strip(), trimmed.substring(colon + 1).strip());
            }
        }
        return properties;
    }

    private static List<String> volumeTargets(Map<String, Object> service) {
        List<String> targets = new ArrayList<>();
        Object volumes = service.get("volumes");
        if (volumes instanceof List<?> list) {
            for (Object volume : list) {
                String[] parts = String.valueOf(volume).split(":");
                if (parts.length >= 2) {
                    targets.add(parts[1]);
                }
            }
        }
        return targets;
    }

    private static Path bindMountSource(Map<String, Object> service, String target) {
        Object volumes = service.get("volumes");
        assertThat(volumes).as("volumes").isInstanceOf(List.class);
        for (Object volume : (List<?>) volumes) {
            String[] parts = String.valueOf(volume).split(":");
            if (parts.length >= 2 && parts[1].equals(target)) {
                Path source = Path.of(parts[0]);
                assertThat(source).as("bind mount source of " + target).isAbsolute().isRegularFile();
                return source;
            }
        }
        throw new AssertionError("no volume mounted at " + target + " in " + volumes);
    }

    private static Path buildContext(Map<String, Object> service) {
        Object build = service.get("build");
        String context = build instanceof Map<?, ?> map ? String.valueOf(map.get("context")) : String.valueOf(build);
        return Path.of(context);
    }

    private static Path dockerfile(Map<String, Object> service) {
        Object build = service.get("build");
        Object name = build instanceof Map<?, ?> map ? map.get("dockerfile") : null;
        return buildContext(service).resolve(name == null ? "Dockerfile" : String.valueOf(name)).normalize();
    }

    record Copy(List<String> sources, String destination) {}

    /** The COPY instructions of a Dockerfile (shell form; flags such as --chown dropped). */
    static List<Copy> copies(Path dockerfile) throws Exception {
        String joined = Files.readString(dockerfile).replaceAll("\\\\\\r?\\n", " ");
        List<Copy> copies = new ArrayList<>();
        for (String line : joined.split("\\r?\\n")) {
            String trimmed = line.strip();
            if (!trimmed.toUpperCase(Locale.ROOT).startsWith("COPY ")) {
                continue;
            }
            List<String> words = new ArrayList<>(List.of(trimmed.substring(5).strip().split("\\s+")));
            words.removeIf(w -> w.startsWith("--"));
            assertThat(words).as(dockerfile + ": " + trimmed).hasSizeGreaterThanOrEqualTo(2);
            assertThat(words.get(0)).as(dockerfile + ": COPY in JSON form is not read here").doesNotStartWith("[");
            copies.add(new Copy(List.copyOf(words.subList(0, words.size() - 1)), words.get(words.size() - 1)));
        }
        return copies;
    }

    /** jobs/target/FINALNAME.jar, FINALNAME from the shade plugin of the job-jar profile in jobs/pom.xml. */
    private static String jobJarPath() throws Exception {
        Document pom = xml(root.resolve("jobs/pom.xml"));
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (!"job-jar".equals(childText(profile, "id"))) {
                continue;
            }
            assertThat(profile.getElementsByTagName("outputFile").getLength()
                    + profile.getElementsByTagName("outputDirectory").getLength())
                    .as("the job-jar profile writes somewhere else than target/FINALNAME.jar: update this test")
                    .isZero();
            NodeList finalNames = profile.getElementsByTagName("finalName");
            assertThat(finalNames.getLength()).as("finalName in the job-jar profile").isEqualTo(1);
            return "jobs/target/" + finalNames.item(0).getTextContent().strip() + ".jar";
        }
        throw new AssertionError("no profile 'job-jar' in jobs/pom.xml");
    }

    private static String rootPomProperty(String name) throws Exception {
        Document pom = xml(root.resolve("pom.xml"));
        NodeList nodes = pom.getElementsByTagName(name);
        assertThat(nodes.getLength()).as("<" + name + "> in pom.xml").isGreaterThan(0);
        return nodes.item(0).getTextContent().strip();
    }

    private static Document xml(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static String childText(Element parent, String tag) {
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && child.getTagName().equals(tag)) {
                return child.getTextContent().strip();
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yamlMap(Object value, String what) {
        assertThat(value).as(what).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    /** The repository root: the first directory upwards from the working directory (jobs/ under Maven) with docker/compose.yaml. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker/compose.yaml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new AssertionError("no docker/compose.yaml above " + Path.of("").toAbsolutePath());
    }

    record Result(int status, String out, String err) {}

    /**
     * Debian's docker-compose with the compose defaults only: variables that compose.yaml reads and an .env file
     * next to it are kept out, so the rendered file is the one in the repository.
     */
    private static Result dockerCompose(Path dir, String... args) throws Exception {
        String executable = onPath("docker-compose");
        assertThat(executable).as("docker-compose not found on PATH: apt-get install docker-compose (./bitvision test "
                + "installs it); no Docker engine is needed").isNotNull();
        Path emptyEnv = Files.createTempFile("compose", ".env");
        try {
            List<String> command = new ArrayList<>(List.of(executable, "--env-file", emptyEnv.toString()));
            command.addAll(List.of(args));
            return run(dir, command);
        } finally {
            Files.deleteIfExists(emptyEnv);
        }
    }

    private static Result run(Path dir, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("BITVISION_") || key.startsWith("COMPOSE_")
                || key.equals("KAFKA_IMAGE") || key.equals("PROMETHEUS_IMAGE") || key.startsWith("DOCKER_"));
        Path out = Files.createTempFile("compose", ".out");
        Path err = Files.createTempFile("compose", ".err");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
