package io.bitvision.engine;

import io.bitvision.engine.graph.ExecContext;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits the rows of one piece of work (an operator's output rows, the image's patch rows) into as many bands as there are contexts and runs band 0 on the calling
 * thread, the others on workers owned by this object. A call returns when every band is done, so operators still
 * run one after another and the memory plan holds unchanged.
 *
 * <p>Between operators the workers spin briefly before they park: a model runs dozens of operators per frame, and
 * waking a parked thread for each would cost more than the smaller layers take. Nothing is allocated per call.
 */
final class RowBandWorkers implements AutoCloseable {
    /** Spin iterations before a waiting thread parks: some microseconds, about one small operator. */
    private static final int SPINS = 20_000;

    private final ExecContext[] contexts;
    private final Thread[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int generation;
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Throwable failure;

    // The current call; written before generation is incremented, read by workers after they see the new value.
    private Task task;
    private int rows;

    /** Rows [fromRow, toRow) of the work, on the thread of band {@code band} with that thread's context. */
    interface Task {
        void runRows(int band, ExecContext context, int fromRow, int toRow);
    }

    RowBandWorkers(ExecContext[] contexts, String name) {
        this.contexts = contexts;
        this.workers = new Thread[contexts.length - 1];
        for (int w = 0; w < workers.length; w++) {
            int band = w + 1;
            workers[w] = new Thread(() -> work(band), name + "-band-" + band);
            workers[w].setDaemon(true);
            workers[w].start();
        }
    }

    int threads() {
        return contexts.length;
    }

    /** Runs {@code task} over rows [0, rows), split into bands across the threads. */
    void run(Task task, int rows) {
        if (closed) {
            throw new IllegalStateException("the engine's inference threads were closed");
        }
        this.task = task;
        this.rows = rows;
        this.caller = Thread.currentThread();
        pending.set(workers.length);
        generation++;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
        Throwable own = null;
        try {
            runBand(0);
        } catch (Throwable t) {
            own = t;
        }
        awaitWorkers();
        Throwable failed = own != null ? own : failure;
        failure = null;
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
    }

    private void runBand(int band) {
        int bands = contexts.length;
        int from = (int) ((long) rows * band / bands);
        int to = (int) ((long) rows * (band + 1) / bands);
        if (from < to) {
            task.runRows(band, contexts[band], from, to);
        }
    }

    private void awaitWorkers() {
        int spins = 0;
        while (pending.get() > 0) {
            if (spins < SPINS) {
                spins++;
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
    }

    private void work(int band) {
        int seen = 0;
        while (true) {
            int spins = 0;
            int current;
            while ((current = generation) == seen && !closed) {
                if (spins < SPINS) {
                    spins++;
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = current;
            try {
                runBand(band);
            } catch (Throwable t) {
                failure = t;
            }
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
        for (Thread worker : workers) {
            try {
                worker.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
