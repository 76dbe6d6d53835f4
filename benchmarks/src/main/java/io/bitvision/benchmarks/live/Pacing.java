package io.bitvision.benchmarks.live;

/** Waits on the wall clock, for benches that act at set times (steps, outages, samples). */
public final class Pacing {
    private Pacing() {
    }

    /** Sleeps until {@code epochMs}, in steps of at most a second so an interrupt is seen promptly. */
    public static void sleepUntil(long epochMs) throws InterruptedException {
        long wait;
        while ((wait = epochMs - System.currentTimeMillis()) > 0) {
            Thread.sleep(Math.min(wait, 1_000));
        }
    }
}
