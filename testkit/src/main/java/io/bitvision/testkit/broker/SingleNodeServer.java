package io.bitvision.testkit.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One Kafka node in this JVM: formats its storage when the directory is new (what {@code kafka-storage.sh format}
 * does), then runs {@link KafkaRaftServer}, the server {@code kafka.Kafka} runs. Not thread-safe except
 * {@link #stop()}, which may be called from a shutdown hook while {@link #start()} runs.
 */
final class SingleNodeServer {

    private static final String META_PROPERTIES = "meta.properties";

    private final KafkaRaftServer server;
    private final boolean formatted;
    private boolean stopped;

    private SingleNodeServer(KafkaRaftServer server, boolean formatted) {
        this.server = server;
        this.formatted = formatted;
    }

    /**
     * Validates the configuration, formats {@code logDir} (the only log directory, which also holds the metadata
     * log) unless it already holds a formatted node, and builds the server without starting it.
     */
    static SingleNodeServer create(Map<String, String> serverProperties, Path logDir) throws Exception {
        KafkaConfig config = new KafkaConfig(serverProperties, false);
        boolean format = !Files.exists(logDir.resolve(META_PROPERTIES));
        if (format) {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(SingleNodeConfig.NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                    .addDirectory(logDir.toAbsolutePath().toString())
                    .run();
        }
        return new SingleNodeServer(new KafkaRaftServer(config, Time.SYSTEM), format);
    }

    /** Whether {@link #create} formatted new storage. */
    boolean formatted() {
        return formatted;
    }

    /**
     * Starts the controller and the broker and returns once the broker is registered, unfenced and caught up
     * with the metadata log, i.e. ready for clients. Stops what was started if startup fails.
     */
    void start() {
        try {
            server.startup();
        } catch (RuntimeException | Error e) {
            try {
                stop();
            } catch (RuntimeException | Error suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Blocks until the server has been stopped. */
    void awaitShutdown() {
        server.awaitShutdown();
    }

    /** Shuts the broker, then the controller down and waits for both; later calls do nothing. */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        server.shutdown();
        server.awaitShutdown();
    }
}
