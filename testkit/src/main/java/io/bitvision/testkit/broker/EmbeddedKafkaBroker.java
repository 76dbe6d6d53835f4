package io.bitvision.testkit.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A single-node Kafka cluster (KRaft, combined broker and controller) running inside this JVM on 127.0.0.1,
 * configured so that transactions work on one node (see {@code SingleNodeConfig}).
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
 *     kafka.createTopics(4, "detections");
 *     ... clients with bootstrap.servers = kafka.bootstrapServers() ...
 * }
 * }</pre>
 *
 * <p>By default the broker takes a free port and a temporary directory that {@link #close()} deletes. A fatal
 * fault inside the broker (for example an unwritable metadata log) halts the JVM, as it would a real broker.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;

    private final SingleNodeServer server;
    private final int port;
    private final Path dataDir;
    private final boolean deleteDataDir;
    private final BrokerTls tls;
    private final BrokerSasl sasl;
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedKafkaBroker(SingleNodeServer server, int port, Path dataDir, boolean deleteDataDir, BrokerTls tls,
                                BrokerSasl sasl) {
        this.server = server;
        this.tls = tls;
        this.sasl = sasl;
        this.port = port;
        this.dataDir = dataDir;
        this.deleteDataDir = deleteDataDir;
        this.shutdownHook = new Thread(this::closeQuietly, "bitvision-embedded-kafka-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a broker on a free port with temporary storage; returns once clients can use it. */
    public static EmbeddedKafkaBroker start() {
        return builder().start();
    }

    /** Options: a fixed port, persistent storage, TLS, extra broker settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code 127.0.0.1:port}, for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return SingleNodeConfig.HOST + ":" + port;
    }

    /** The client port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The client listener's TLS settings, or null when it is PLAINTEXT. */
    public BrokerTls tls() {
        return tls;
    }

    /** The client listener's SASL settings, or null when clients need not authenticate. */
    public BrokerSasl sasl() {
        return sasl;
    }

    /** The client listener's {@code security.protocol}: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
    public String securityProtocol() {
        return SingleNodeConfig.listenerName(tls, sasl);
    }

    /** The directory holding the broker's logs and metadata. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Creates topics with {@code partitions} partitions each (replication factor 1) and waits until every
     * partition has a leader. Topics that already exist are left as they are.
     *
     * @throws KafkaException if the broker refuses a topic (for example an invalid name) or does not answer
     *                        within 60 s
     */
    public void createTopics(int partitions, String... names) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        Objects.requireNonNull(names, "names");
        if (names.length == 0) {
            throw new IllegalArgumentException("no topic names given");
        }
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("blank topic name in " + List.of(names));
            }
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        Map<String, Object> adminConfig = new HashMap<>();
        if (tls != null) {
            adminConfig.putAll(tls.clientProperties());
        }
        if (sasl != null) {
            adminConfig.putAll(sasl.brokerClientProperties());
        }
        adminConfig.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, securityProtocol());
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(adminConfig)) {
            long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
            for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(topics).values().entrySet()) {
                try {
                    await(created.getValue(), deadline);
                } catch (TopicExistsException e) {
                    // Left as it is.
                }
            }
            awaitLeaders(admin, List.of(names), deadline);
        }
    }

    private static void awaitLeaders(Admin admin, List<String> names, long deadline) {
        while (true) {
            try {
                Map<String, TopicDescription> described = await(admin.describeTopics(names).allTopicNames(), deadline);
                if (described.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .map(TopicPartitionInfo::leader)
                        .allMatch(leader -> leader != null && !leader.isEmpty())) {
                    return;
                }
            } catch (UnknownTopicOrPartitionException e) {
                // Not yet in this broker's metadata cache.
            }
            if (System.nanoTime() > deadline) {
                throw new KafkaException("Topics " + names + " have no leader after " + ADMIN_TIMEOUT.toSeconds() + " s");
            }
            sleep(20);
        }
    }

    private static <T> T await(KafkaFuture<T> future, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KafkaException k) {
                throw k;
            }
            throw new KafkaException(e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("No answer from the broker within " + ADMIN_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }

    /** Stops the broker and, if its storage was temporary, deletes it. Later calls do nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: this is the hook running.
        }
        try {
            server.stop();
        } finally {
            if (deleteDataDir) {
                deleteRecursively(dataDir);
            }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            // The JVM is exiting; nothing useful is left to do with it.
        }
    }

    private static void deleteRecursively(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + dir, e);
        }
    }

    /** Options for {@link EmbeddedKafkaBroker}; checked once in {@link #start()}. */
    public static final class Builder {
        private int port;
        private Path dataDir;
        private BrokerTls tls;
        private BrokerSasl sasl;
        private final Map<String, String> config = new HashMap<>();

        private Builder() {
        }

        /** Client port on 127.0.0.1; 0 (the default) takes a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Keeps the broker's storage in {@code dir} (created and formatted if new, reused if not, never deleted).
         * By default the storage is a temporary directory deleted on close.
         */
        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Makes the client listener TLS ({@code SSL://127.0.0.1:port}; the broker's traffic to itself goes through it
         * too). Clients then need {@code security.protocol=SSL} and a truststore that trusts the broker's certificate
         * (and a keystore when {@link BrokerTls#requireClientCertificates()}); see {@link LoopbackCertificates}. The
         * KRaft controller listener stays PLAINTEXT on 127.0.0.1.
         */
        public Builder tls(BrokerTls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * Makes clients authenticate with SASL/PLAIN on the client listener: {@code SASL_SSL://127.0.0.1:port} together
         * with {@link #tls}, else {@code SASL_PLAINTEXT}. Clients then need {@code security.protocol} as
         * {@link EmbeddedKafkaBroker#securityProtocol()} says and {@link BrokerSasl#clientProperties}.
         */
        public Builder sasl(BrokerSasl sasl) {
            this.sasl = Objects.requireNonNull(sasl, "sasl");
            return this;
        }

        /**
         * Sets or overrides one broker setting, e.g. {@code config("num.partitions", "4")}. Listener, node,
         * quorum and directory settings belong to the broker and are refused.
         */
        public Builder config(String key, String value) {
            config.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Starts the broker and returns once it accepts clients.
         *
         * @throws IllegalArgumentException for a bad port or a refused setting
         * @throws KafkaException           if the broker does not start (e.g. the fixed port is taken)
         */
        public EmbeddedKafkaBroker start() {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535, was " + port);
            }
            // The settings themselves are checked by SingleNodeConfig.serverProperties.
            boolean temporary = dataDir == null;
            Path dir;
            try {
                dir = temporary ? Files.createTempDirectory("bitvision-kafka-") : dataDir.toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create a temporary directory", e);
            }
            try {
                return startWithRetry(dir, temporary);
            } catch (RuntimeException | Error e) {
                if (temporary) {
                    try {
                        deleteRecursively(dir);
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }

        private EmbeddedKafkaBroker startWithRetry(Path dir, boolean temporary) {
            // Free ports are found by binding and releasing them, so another process can take one in between:
            // try again with new ports. A port the caller chose is not replaced.
            for (int attempt = 1; ; attempt++) {
                int[] free = LoopbackPorts.free(2);
                int brokerPort = port == 0 ? free[0] : port;
                int controllerPort = free[0] == brokerPort ? free[1] : free[0];
                try {
                    SingleNodeServer server = SingleNodeServer.create(
                            SingleNodeConfig.serverProperties(brokerPort, controllerPort, dir, tls, sasl, config), dir);
                    server.start();
                    return new EmbeddedKafkaBroker(server, brokerPort, dir, temporary, tls, sasl);
                } catch (IllegalArgumentException e) {
                    throw e;
                } catch (Exception e) {
                    if (attempt < START_ATTEMPTS && port == 0 && LoopbackPorts.causedByBind(e)) {
                        continue;
                    }
                    throw new KafkaException("Kafka broker did not start on " + SingleNodeConfig.HOST + ":"
                            + brokerPort + " (controller port " + controllerPort + ", data in " + dir + ")", e);
                }
            }
        }
    }
}
