package io.bitvision.operators.source.reader;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-camera metrics, written by the camera's threads and the watchdog, read by Flink's reporters. Registered under
 * the reader's metric group as {@code camera.<id>}: gauges {@code decodeFps}, {@code stalled} (0/1), {@code state}
 * (ordinal of {@code CameraRecord.State}), counters {@code framesDecoded}, {@code framesDropped},
 * {@code reconnects}.
 */
final class CameraMetrics {
    final AtomicLong framesDecoded = new AtomicLong();
    final AtomicLong framesDropped = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    volatile double decodeFps;
    volatile boolean stalled;
    volatile int state;

    void register(MetricGroup readerGroup, String cameraId) {
        MetricGroup group = readerGroup.addGroup("camera", cameraId);
        group.gauge("decodeFps", (Gauge<Double>) () -> decodeFps);
        group.gauge("stalled", (Gauge<Integer>) () -> stalled ? 1 : 0);
        group.gauge("state", (Gauge<Integer>) () -> state);
        group.counter("framesDecoded", new AtomicCounter(framesDecoded));
        group.counter("framesDropped", new AtomicCounter(framesDropped));
        group.counter("reconnects", new AtomicCounter(reconnects));
    }

    /** A Flink counter over an {@link AtomicLong}, safe to bump from any thread. */
    private record AtomicCounter(AtomicLong value) implements Counter {
        @Override
        public void inc() {
            value.incrementAndGet();
        }

        @Override
        public void inc(long n) {
            value.addAndGet(n);
        }

        @Override
        public void dec() {
            value.decrementAndGet();
        }

        @Override
        public void dec(long n) {
            value.addAndGet(-n);
        }

        @Override
        public long getCount() {
            return value.get();
        }
    }
}
