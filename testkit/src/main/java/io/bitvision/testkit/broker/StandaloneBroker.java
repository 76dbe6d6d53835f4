package io.bitvision.testkit.broker;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import java.util.Map;

/**
 * Runs the single-node broker as this process, on persistent storage:
 *
 * <pre>
 * java -cp 'broker/target/classes:broker/target/lib/*' io.bitvision.testkit.broker.StandaloneBroker \
 *     [--port 9092] [--controller-port PORT+1] [--data-dir ./.bitvision/kafka]
 * </pre>
 *
 * <p>Formats the data directory when it is new, prints {@value #READY_PREFIX}{@code 127.0.0.1:PORT} on standard
 * output once clients can connect, and shuts down cleanly on SIGTERM or Ctrl-C (then prints
 * {@value #STOPPED_LINE}). Kafka's own logging goes to standard error at WARN unless {@code -Dlog4j2.configurationFile}
 * names another configuration; {@code -Dbitvision.broker.log.level=INFO} raises it.
 */
public final class StandaloneBroker {

    /** Printed, followed by {@code 127.0.0.1:PORT}, once the broker accepts clients. */
    public static final String READY_PREFIX = "bitvision broker listening on ";
    /** Printed by the shutdown hook once the broker has stopped. */
    public static final String STOPPED_LINE = "bitvision broker stopped";

    static final int DEFAULT_PORT = 9092;
    static final Path DEFAULT_DATA_DIR = Path.of(".bitvision", "kafka");
    private static final String LOG_CONFIG = "io/bitvision/testkit/broker/log4j2-standalone.properties";
    private StandaloneBroker() {
    }

    /** The broker as its own process: {@code java -cp ... StandaloneBroker [--port P] [--data-dir D]}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BrokerCommand()).execute(args));
    }

    /** {@code ./bitvision broker} and this class's main. */
    @Command(name = "broker", mixinStandardHelpOptions = true, sortOptions = false,
            description = "A standalone single-node KRaft Kafka broker on 127.0.0.1; storage formatted when new.")
    public static final class BrokerCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--port", paramLabel = "PORT", description = "Client port on 127.0.0.1 (default 9092).")
        Integer port;

        @Option(names = "--controller-port", paramLabel = "PORT", description = "KRaft controller port (default PORT+1).")
        Integer controllerPort;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Storage (default ./.bitvision/kafka).")
        Path dataDir = DEFAULT_DATA_DIR;

        @Override
        public Integer call() {
            Options options;
            try {
                options = Options.of(port, controllerPort, dataDir);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            // Before the first Kafka class asks slf4j for a logger.
            configureLogging();
            try {
                run(options, System.out);
                return 0;
            } catch (Exception e) {
                System.err.println("bitvision broker failed: " + e);
                e.printStackTrace();
                return 1;
            }
        }
    }

    /** Starts the broker, announces it on {@code out} and blocks until it has been shut down. */
    static void run(Options options, PrintStream out) throws Exception {
        Path dir = options.dataDir().toAbsolutePath().normalize();
        Map<String, String> properties =
                SingleNodeConfig.serverProperties(options.port(), options.controllerPort(), dir, Map.of());
        SingleNodeServer server = SingleNodeServer.create(properties, dir);
        if (server.formatted()) {
            out.println("bitvision broker formatted new storage in " + dir);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            out.println(STOPPED_LINE);
            out.flush();
        }, "bitvision-broker-shutdown"));
        server.start();
        out.println(READY_PREFIX + SingleNodeConfig.HOST + ":" + options.port());
        out.flush();
        server.awaitShutdown();
    }

    private static void configureLogging() {
        if (System.getProperty("log4j2.configurationFile") == null
                && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        // Our hook stops the broker; keep log4j alive until the JVM is gone so shutdown warnings still print.
        if (System.getProperty("log4j2.shutdownHookEnabled") == null) {
            System.setProperty("log4j2.shutdownHookEnabled", "false");
        }
    }

    /** The broker's settings, checked. */
    record Options(int port, int controllerPort, Path dataDir) {
        /** Checks the given values; the controller port follows the client port unless given. */
        static Options of(Integer port, Integer controllerPort, Path dataDir) {
            int p = port == null ? DEFAULT_PORT : checkedPort("--port", port);
            int c = controllerPort == null ? p + 1 : checkedPort("--controller-port", controllerPort);
            if (c > 65535) {
                throw new IllegalArgumentException("--port " + p + " leaves no default controller port; give --controller-port");
            }
            if (c == p) {
                throw new IllegalArgumentException("--port and --controller-port must differ, both are " + p);
            }
            if (dataDir.toString().isBlank()) {
                throw new IllegalArgumentException("--data-dir must not be empty");
            }
            return new Options(p, c, dataDir);
        }

        private static int checkedPort(String name, int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(name + " must be in 1..65535, got " + port);
            }
            return port;
        }
    }
}
