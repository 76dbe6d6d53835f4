package io.bitvision.operators.source.reader;

import java.util.concurrent.CompletableFuture;

/**
 * The reader's availability future, completed by any camera thread that queues a record. The task thread calls
 * {@link #reset()} before it re-checks the queues, so a record queued in between completes the new future and no
 * wake-up is lost.
 */
final class AvailabilityNotifier {
    private volatile CompletableFuture<Void> future = CompletableFuture.completedFuture(null);

    void notifyAvailable() {
        future.complete(null);
    }

    CompletableFuture<Void> future() {
        return future;
    }

    void reset() {
        if (future.isDone()) {
            future = new CompletableFuture<>();
        }
    }
}
