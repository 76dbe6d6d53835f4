package io.bitvision.benchmarks.live;

import io.bitvision.testkit.audit.MaskAudit;

import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.FrameMasks;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.record.TimestampType;

/**
 * A read_committed consumer of the mask topic for runs with live cameras that keeps no records: each record is
 * decoded, checked against the previous one of its camera (duplicates, order, gaps not explained by
 * {@code frames_dropped}) and handed to a listener as an {@link Observed}, with the moment the poll returned it
 * (as in {@link CommitWatcher}). Its own memory stays constant however long the run, so a soak run measures the
 * job, not the watcher.
 */
public final class LiveWatcher implements AutoCloseable {
    /**
     * One committed mask record.
     *
     * @param ingestMs  the decoder's clock when the frame was read (for a replay camera: when it was due)
     * @param appendMs  the broker's LogAppendTime, or -1 when the topic keeps the producer's timestamps
     * @param visibleMs when this read_committed consumer received it
     */
    public record Observed(String camera, long frameSeq, int framesDropped, long ingestMs, long appendMs, long visibleMs) {}

    /** Counters per camera; updated on the watcher's thread, read under its lock. */
    public static final class CameraTotals {
        long records;
        long framesDropped;
        long duplicates;
        long outOfOrder;
        long unexplainedGaps;
        long lastSeq = -1;

        public long records() {
            return records;
        }

        public long framesDropped() {
            return framesDropped;
        }

        public long duplicates() {
            return duplicates;
        }

        public long outOfOrder() {
            return outOfOrder;
        }

        public long unexplainedGaps() {
            return unexplainedGaps;
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Consumer<Observed> listener;
    private final Map<String, CameraTotals> totals = new HashMap<>();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile RuntimeException failure;

    public LiveWatcher(String bootstrapServers, String topic, int partitions, Consumer<Observed> listener) {
        this.consumer = CommittedConsumer.fromBeginning(bootstrapServers, topic, partitions);
        this.listener = listener;
        thread = new Thread(this::loop, "bench-live-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (!stopped) {
                var records = consumer.poll(Duration.ofMillis(20));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    FrameMasks masks = AvroRecords.decode(r.value(), FrameMasks.class);
                    Observed o = new Observed(masks.getCameraId(), masks.getFrameSeq(), masks.getFramesDropped(),
                            masks.getIngestTimeMs().toEpochMilli(),
                            r.timestampType() == TimestampType.LOG_APPEND_TIME ? r.timestamp() : -1, now);
                    synchronized (totals) {
                        count(totals.computeIfAbsent(o.camera(), k -> new CameraTotals()), o);
                    }
                    listener.accept(o);
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Updates a camera's counters with its next record (the checks of {@code MaskAudit}, incrementally). */
    public static void count(CameraTotals t, Observed o) {
        t.records++;
        t.framesDropped += o.framesDropped();
        if (o.frameSeq() <= t.lastSeq) {
            t.duplicates++;
            t.outOfOrder++;
            return;
        }
        long missing = o.frameSeq() - t.lastSeq - 1; // from -1: frames before the first record count too
        t.unexplainedGaps += Math.max(0, missing - o.framesDropped());
        t.lastSeq = o.frameSeq();
    }

    /** Records seen so far, all cameras. */
    public long records() {
        synchronized (totals) {
            return totals.values().stream().mapToLong(t -> t.records).sum();
        }
    }

    /** A copy of the counters per camera. */
    public Map<String, CameraTotals> totals() {
        synchronized (totals) {
            Map<String, CameraTotals> copy = new java.util.TreeMap<>();
            totals.forEach((camera, t) -> {
                CameraTotals c = new CameraTotals();
                c.records = t.records;
                c.framesDropped = t.framesDropped;
                c.duplicates = t.duplicates;
                c.outOfOrder = t.outOfOrder;
                c.unexplainedGaps = t.unexplainedGaps;
                c.lastSeq = t.lastSeq;
                copy.put(camera, c);
            });
            return copy;
        }
    }

    /** The consumer's failure, if it failed. */
    public RuntimeException failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
