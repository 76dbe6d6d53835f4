package io.bitvision.cli.console;

import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.CameraHealth;
import io.bitvision.schemas.FaceMatch;
import io.bitvision.schemas.FrameMasks;
import io.bitvision.schemas.FramePreview;
import io.bitvision.schemas.WatchlistUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read_committed consumer on its own thread, without a group (it assigns every partition itself, so many consoles
 * can watch one job): masks and previews from the last few hundred records of each partition, health and matches
 * from the last few thousand, the watchlist from its start. Records are folded into the {@link FleetState}; ones that
 * do not decode are counted and skipped. Topics that do not exist yet are looked for again every few seconds.
 */
final class TopicTail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);
    static final int MASKS_TAIL = 300;
    static final int PREVIEWS_TAIL = CameraView.PREVIEWS_KEPT;
    static final int EVENTS_TAIL = 2000;
    private static final long RESCAN_MS = 3000;

    private final ConsoleTopics topics;
    private final FleetState state;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    /** Offsets at assignment: a record below its partition's is backlog, not live. */
    private final Map<TopicPartition, Long> liveFrom = new HashMap<>();
    private volatile boolean caughtUp;
    private volatile String lastError;
    private static final long RETRY_MS = 2000;

    TopicTail(String bootstrap, Properties clientProperties, ConsoleTopics topics, FleetState state) {
        this.topics = topics;
        this.state = state;
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A reader must not create the topics it looks for (previews off, a watchlist not made yet).
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "bitvision-console");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        thread = new Thread(this::run, "console-topic-tail");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    long recordsRead() {
        return recordsRead.get();
    }

    long undecodable() {
        return undecodable.get();
    }

    /** True once the backlog present at start has been read. */
    boolean caughtUp() {
        return caughtUp;
    }

    private void run() {
        long lastScan = 0;
        Map<TopicPartition, Long> backlogEnds = new HashMap<>();
        try {
            while (running.get()) {
                try {
                    long now = System.currentTimeMillis();
                    if (now - lastScan >= RESCAN_MS) {
                        lastScan = now;
                        backlogEnds.putAll(assignNewPartitions());
                    }
                    if (consumer.assignment().isEmpty()) {
                        Thread.sleep(200);
                        continue;
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        apply(r);
                    }
                    if (!caughtUp) {
                        backlogEnds.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                        caughtUp = backlogEnds.isEmpty();
                    }
                    lastError = null;
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    // The broker away, a timeout, a refused authorisation: say so, keep the state, try again.
                    if (lastError == null) {
                        LOG.warn("console cannot read the topics, retrying every {} ms: {}", RETRY_MS, e.toString());
                    }
                    lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                    Thread.sleep(RETRY_MS);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                LOG.error("console consumer woken up while running", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            lastError = "stopped: " + e;
            LOG.error("console consumer stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Why the last read failed, while it keeps failing; null when reading works. */
    String lastError() {
        return lastError;
    }

    /** Assigns partitions not yet assigned and positions them; returns their end offsets (the backlog to read). */
    private Map<TopicPartition, Long> assignNewPartitions() {
        List<TopicPartition> added = new ArrayList<>();
        Set<TopicPartition> assigned = new HashSet<>(consumer.assignment());
        for (String topic : topics.all()) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (partitions == null) {
                continue;
            }
            for (PartitionInfo p : partitions) {
                TopicPartition tp = new TopicPartition(topic, p.partition());
                if (!assigned.contains(tp)) {
                    added.add(tp);
                }
            }
        }
        if (added.isEmpty()) {
            return Map.of();
        }
        List<TopicPartition> all = new ArrayList<>(assigned);
        all.addAll(added);
        consumer.assign(all);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(added);
        Map<TopicPartition, Long> end = consumer.endOffsets(added);
        for (TopicPartition tp : added) {
            long tail = tailOf(tp.topic());
            long from = tail < 0 ? begin.get(tp) : Math.max(begin.get(tp), end.get(tp) - tail);
            consumer.seek(tp, from);
            liveFrom.put(tp, end.get(tp));
        }
        caughtUp = false;
        LOG.info("console reads {} (read_committed)", added);
        return end;
    }

    /** Records kept from the end of each partition of the topic; -1: from its start. */
    private long tailOf(String topic) {
        if (topic.equals(topics.watchlist())) {
            return -1;
        }
        if (topic.equals(topics.masks())) {
            return MASKS_TAIL;
        }
        if (topic.equals(topics.previews())) {
            return PREVIEWS_TAIL;
        }
        return EVENTS_TAIL;
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        recordsRead.incrementAndGet();
        long now = System.currentTimeMillis();
        boolean live = r.offset() >= liveFrom.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L);
        try {
            String topic = r.topic();
            if (topic.equals(topics.masks())) {
                state.masks(AvroRecords.decode(r.value(), FrameMasks.class), now, live);
            } else if (topic.equals(topics.previews())) {
                state.preview(AvroRecords.decode(r.value(), FramePreview.class));
            } else if (topic.equals(topics.health())) {
                state.health(AvroRecords.decode(r.value(), CameraHealth.class));
            } else if (topic.equals(topics.faces())) {
                state.match(AvroRecords.decode(r.value(), FaceMatch.class));
            } else if (topic.equals(topics.watchlist())) {
                state.watchlist(AvroRecords.decode(r.value(), WatchlistUpdate.class));
            }
        } catch (RuntimeException e) {
            if (undecodable.incrementAndGet() <= 10) {
                LOG.warn("skipping a record of {} partition {} offset {} that does not decode: {}", r.topic(),
                        r.partition(), r.offset(), e.toString());
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(5000);
    }
}
