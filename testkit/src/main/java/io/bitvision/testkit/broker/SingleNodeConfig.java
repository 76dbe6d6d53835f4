package io.bitvision.testkit.broker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The broker settings shared by the in-process and the standalone broker: one node that is both broker and
 * controller, listening on 127.0.0.1 only, with every internal topic at replication factor 1 so that
 * transactions and consumer groups work on a single node.
 */
final class SingleNodeConfig {

    static final String HOST = "127.0.0.1";
    static final int NODE_ID = 1;

    /**
     * Upper bound the broker accepts for a producer's {@code transaction.timeout.ms}. Flink's KafkaSink asks for
     * one hour by default (KafkaSinkBuilder.DEFAULT_KAFKA_TRANSACTION_TIMEOUT); Kafka's own default maximum is
     * 15 minutes, which would make every exactly-once sink fail in initTransactions.
     */
    static final long TRANSACTION_MAX_TIMEOUT_MS = 60 * 60 * 1000L;

    /** Keys this class owns; callers may override anything else. */
    static final Set<String> MANAGED_KEYS = Set.of(
            "node.id", "process.roles", "listeners", "advertised.listeners", "listener.security.protocol.map",
            "inter.broker.listener.name", "controller.listener.names", "controller.quorum.voters",
            "controller.quorum.bootstrap.servers", "log.dirs", "log.dir", "metadata.log.dir");

    private SingleNodeConfig() {
    }

    /**
     * Server properties for one node.
     *
     * @param port           client port on 127.0.0.1
     * @param controllerPort KRaft controller port on 127.0.0.1
     * @param logDir         the single data directory (also holds the metadata log)
     * @param overrides      extra broker settings; must not contain {@link #MANAGED_KEYS}
     */
    static Map<String, String> serverProperties(int port, int controllerPort, Path logDir, Map<String, String> overrides) {
        return serverProperties(port, controllerPort, logDir, null, null, overrides);
    }

    /**
     * Server properties for one node whose client listener is {@link #listenerName(BrokerTls, BrokerSasl) SSL,
     * SASL_SSL or SASL_PLAINTEXT} when {@code tls} and/or {@code sasl} are given; the broker reaches itself through
     * that listener too. The KRaft controller listener stays PLAINTEXT on 127.0.0.1 (only the node itself talks to
     * it).
     *
     * @param tls  null for no TLS on the client listener
     * @param sasl null for no authentication on the client listener
     */
    static Map<String, String> serverProperties(int port, int controllerPort, Path logDir, BrokerTls tls,
                                                BrokerSasl sasl, Map<String, String> overrides) {
        checkPort(port, "port");
        checkPort(controllerPort, "controller port");
        if (port == controllerPort) {
            throw new IllegalArgumentException("port and controller port must differ, both are " + port);
        }
        for (String key : overrides.keySet()) {
            if (MANAGED_KEYS.contains(key)) {
                throw new IllegalArgumentException("'" + key + "' is set by the broker itself and cannot be overridden");
            }
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("process.roles", "broker,controller");
        String listener = listenerName(tls, sasl);
        p.put("listeners", listener + "://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", listener + "://" + HOST + ":" + port);
        p.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", listener);
        if (tls != null) {
            p.putAll(tls.serverProperties());
        }
        if (sasl != null) {
            p.putAll(sasl.serverProperties(listener));
        }
        p.put("controller.listener.names", "CONTROLLER");
        // Static single-voter quorum: the controller port is not written to storage, so it may change between runs.
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("log.dirs", logDir.toAbsolutePath().toString());

        // Internal topics on one node.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("transaction.max.timeout.ms", Long.toString(TRANSACTION_MAX_TIMEOUT_MS));
        // Consumers of a new group start at once instead of waiting 3 s for more members.
        p.put("group.initial.rebalance.delay.ms", "0");
        // The broker is unfenced on its first heartbeat after catching up; 2 s by default, 0.5 s is ~1.5 s faster to start.
        p.put("broker.heartbeat.interval.ms", "500");
        // The log cleaner allocates this on the heap up front (128 MiB by default); compacted internal topics
        // of a local broker need far less.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.putAll(overrides);
        return p;
    }

    /** The client listener's name, which is also its security protocol. */
    static String listenerName(BrokerTls tls, BrokerSasl sasl) {
        if (sasl != null) {
            return tls == null ? "SASL_PLAINTEXT" : "SASL_SSL";
        }
        return tls == null ? "PLAINTEXT" : "SSL";
    }

    private static void checkPort(int port, String what) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " must be in 1..65535, was " + port);
        }
    }
}
