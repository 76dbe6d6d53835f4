package io.bitvision.operators.source.reader;

import io.bitvision.operators.source.CameraRecord;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounded hand-off from one camera's decode thread to the reader's task thread; also numbers the camera's frames.
 *
 * <p>Numbered items (frames and corrupt-frame dead letters) take {@code frameSeq} values in order and count
 * against {@code capacity}. When full:
 * <ul>
 *   <li>{@link Mode#BLOCK} (files): the producer waits, so every frame is delivered and a slow job backpressures
 *       the decoder;
 *   <li>{@link Mode#DROP_OLDEST} (live): the oldest queued frame is dropped, so the job always gets the latest
 *       frames; the count goes into {@code droppedSinceLast} of the next frame the reader takes.
 * </ul>
 * Events (health, other dead letters) are never dropped for capacity and never block (at most
 * {@value #MAX_EVENTS} are kept; beyond that the oldest is discarded).
 *
 * <p>Producers pass the generation they got from {@link #newGeneration()}; a newer generation (reconnect, abandon)
 * rejects older producers and wakes them if they wait, so an abandoned decode thread can never insert a frame.
 */
final class FrameHandoff {
    enum Mode { BLOCK, DROP_OLDEST }

    /** End-of-camera marker returned by {@link #poll()}. */
    static final CameraRecord END = new CameraRecord();

    static final int MAX_EVENTS = 10_000;

    private final Mode mode;
    private final int capacity;
    private final AvailabilityNotifier notifier;
    private final CameraMetrics metrics;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<CameraRecord> queue = new ArrayDeque<>();
    private int generation;
    private long nextSeq;
    private int numbered;
    private int events;
    private int pendingDropped;
    private boolean finished;
    private boolean removeSplitAtEnd;
    private volatile boolean producerWaiting;

    FrameHandoff(Mode mode, int capacity, long firstSeq, AvailabilityNotifier notifier, CameraMetrics metrics) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.mode = mode;
        this.capacity = capacity;
        this.nextSeq = firstSeq;
        this.notifier = notifier;
        this.metrics = metrics;
    }

    /** Starts a new producer generation; producers of older ones are rejected from now on. */
    int newGeneration() {
        lock.lock();
        try {
            generation++;
            notFull.signalAll();
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /** The number the next numbered item gets. */
    long nextSeq() {
        lock.lock();
        try {
            return nextSeq;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a producer is waiting for room (downstream backpressure, not a stalled camera). */
    boolean producerWaiting() {
        return producerWaiting;
    }

    /**
     * Queues a frame or a corrupt-frame dead letter and gives it the next number ({@code frameSeq}, and
     * {@code position} for a dead letter). Blocks in {@link Mode#BLOCK} while full.
     *
     * @return false if {@code gen} is no longer current or the hand-off is finished (nothing queued)
     */
    boolean offerNumbered(int gen, CameraRecord record) throws InterruptedException {
        lock.lock();
        try {
            if (gen != generation || finished) {
                return false;
            }
            if (mode == Mode.BLOCK) {
                while (numbered >= capacity) {
                    producerWaiting = true;
                    try {
                        notFull.await(100, TimeUnit.MILLISECONDS);
                    } finally {
                        producerWaiting = false;
                    }
                    if (gen != generation || finished) {
                        return false;
                    }
                }
            } else if (numbered >= capacity) {
                dropOldestFrame();
            }
            long seq = nextSeq++;
            record.frameSeq = seq;
            if (record.kind == CameraRecord.Kind.DEAD_LETTER) {
                record.position = seq;
            }
            queue.addLast(record);
            numbered++;
        } finally {
            lock.unlock();
        }
        notifier.notifyAvailable();
        return true;
    }

    /** Gives a number to a frame that is not emitted (skipped for the target frame rate). */
    boolean skipNumber(int gen) {
        lock.lock();
        try {
            if (gen != generation || finished) {
                return false;
            }
            nextSeq++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a health event or a dead letter that is not a frame. Never blocks. */
    void offerEvent(CameraRecord record) {
        lock.lock();
        try {
            if (finished) {
                return;
            }
            if (events >= MAX_EVENTS) {
                removeOldestEvent();
            }
            queue.addLast(record);
            events++;
        } finally {
            lock.unlock();
        }
        notifier.notifyAvailable();
    }

    /**
     * Queues the end marker after everything queued so far; later offers are ignored.
     *
     * @param removeSplit whether the reader drops the split from its state (files) or keeps it (a failed live
     *     camera, retried after a restore)
     */
    void finish(boolean removeSplit) {
        lock.lock();
        try {
            if (finished) {
                return;
            }
            finished = true;
            removeSplitAtEnd = removeSplit;
            queue.addLast(END);
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        notifier.notifyAvailable();
    }

    /** Stops the hand-off without an end marker (reader closing); wakes waiting producers. */
    void close() {
        lock.lock();
        try {
            finished = true;
            generation++;
            queue.clear();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean removeSplitAtEnd() {
        lock.lock();
        try {
            return removeSplitAtEnd;
        } finally {
            lock.unlock();
        }
    }

    /** Next record, {@link #END}, or null if none is queued. Task thread only. */
    CameraRecord poll() {
        lock.lock();
        try {
            CameraRecord record = queue.pollFirst();
            if (record == null || record == END) {
                return record;
            }
            if (record.frameSeq >= 0) {
                numbered--;
                notFull.signal();
                if (record.kind == CameraRecord.Kind.FRAME) {
                    record.droppedSinceLast = pendingDropped;
                    pendingDropped = 0;
                }
            } else {
                events--;
            }
            return record;
        } finally {
            lock.unlock();
        }
    }

    boolean hasNext() {
        lock.lock();
        try {
            return !queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private void dropOldestFrame() {
        for (Iterator<CameraRecord> it = queue.iterator(); it.hasNext(); ) {
            CameraRecord queued = it.next();
            if (queued.kind == CameraRecord.Kind.FRAME) {
                it.remove();
                numbered--;
                pendingDropped++;
                metrics.framesDropped.incrementAndGet();
                return;
            }
        }
        // Only corrupt-frame dead letters are queued: keep them, go over capacity.
    }

    private void removeOldestEvent() {
        for (Iterator<CameraRecord> it = queue.iterator(); it.hasNext(); ) {
            CameraRecord queued = it.next();
            if (queued.frameSeq < 0 && queued != END) {
                it.remove();
                events--;
                return;
            }
        }
    }
}
