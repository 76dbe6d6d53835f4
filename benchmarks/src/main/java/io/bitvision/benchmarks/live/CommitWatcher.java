package io.bitvision.benchmarks.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A read_committed consumer on its own thread that notes when each record of a topic becomes visible to it: the
 * moment a downstream consumer could have it, i.e. after the Flink checkpoint that covers it committed the Kafka
 * transaction. Polls with a short fetch wait (20 ms), which bounds how late it notices a commit.
 */
public final class CommitWatcher implements AutoCloseable {
    /** A record and the wall-clock time (ms) its poll returned. */
    public record Seen(ConsumerRecord<byte[], byte[]> record, long visibleMs) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<Seen> seen = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile RuntimeException failure;

    public CommitWatcher(String bootstrapServers, String topic, int partitions) {
        consumer = CommittedConsumer.fromBeginning(bootstrapServers, topic, partitions);
        thread = new Thread(this::loop, "bench-commit-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (!stopped) {
                var records = consumer.poll(Duration.ofMillis(20));
                long now = System.currentTimeMillis();
                if (records.isEmpty()) {
                    continue;
                }
                synchronized (seen) {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        seen.add(new Seen(r, now));
                    }
                    seen.notifyAll();
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

    public int count() {
        synchronized (seen) {
            return seen.size();
        }
    }

    /** Waits until at least {@code n} records were seen or the timeout passed; returns the count. */
    public int awaitCount(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (seen) {
            while (seen.size() < n && failure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                seen.wait(Math.max(1, left / 1_000_000));
            }
            if (failure != null) {
                throw failure;
            }
            return seen.size();
        }
    }

    public List<Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
