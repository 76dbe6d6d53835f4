package io.bitvision.testkit.broker;

import java.io.PrintStream;
import java.nio.file.Path;
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
    private static final String USAGE = """
            usage: StandaloneBroker [--port PORT] [--controller-port PORT] [--data-dir DIR]
              --port PORT             client port on 127.0.0.1 (default 9092)
              --controller-port PORT  KRaft controller port on 127.0.0.1 (default PORT+1)
              --data-dir DIR          storage, formatted when new (default ./.bitvision/kafka)""";

    private StandaloneBroker() {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(USAGE);
            return;
        }
        // Before the first Kafka class asks slf4j for a logger.
        configureLogging();
        try {
            run(options, System.out);
        } catch (Exception e) {
            System.err.println("bitvision broker failed: " + e);
            e.printStackTrace();
            System.exit(1);
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

    /** Command line options. */
    record Options(int port, int controllerPort, Path dataDir) {

        /** Parses {@code --name value} or {@code --name=value}; null for {@code --help}. */
        static Options parse(String[] args) {
            Integer port = null;
            Integer controllerPort = null;
            Path dataDir = DEFAULT_DATA_DIR;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    return null;
                }
                String name = arg;
                String value;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("missing value for " + arg);
                }
                switch (name) {
                    case "--port" -> port = parsePort(name, value);
                    case "--controller-port" -> controllerPort = parsePort(name, value);
                    case "--data-dir" -> {
                        if (value.isBlank()) {
                            throw new IllegalArgumentException("--data-dir must not be empty");
                        }
                        dataDir = Path.of(value);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            int p = port == null ? DEFAULT_PORT : port;
            int c = controllerPort == null ? p + 1 : controllerPort;
            if (c > 65535) {
                throw new IllegalArgumentException("--port " + p + " leaves no default controller port; give --controller-port");
            }
            if (c == p) {
                throw new IllegalArgumentException("--port and --controller-port must differ, both are " + p);
            }
            return new Options(p, c, dataDir);
        }

        private static int parsePort(String name, String value) {
            int port;
            try {
                port = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " needs a port number, got '" + value + "'");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(name + " must be in 1..65535, got " + port);
            }
            return port;
        }
    }
}
