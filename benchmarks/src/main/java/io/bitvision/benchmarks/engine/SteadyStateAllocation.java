package io.bitvision.benchmarks.engine;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.kernel.KernelStrategy;
import java.lang.management.ManagementFactory;

/**
 * Heap bytes one inference allocates in steady state, counted by the JVM for the running thread
 * (com.sun.management.ThreadMXBean) in three windows of runs after a warm-up long enough for C2 to compile the kernels.
 * JMH's gc profiler divides all threads' allocation by the operation count, which on slow operations mostly
 * measures the harness; this counts only the inferring thread.
 */
final class SteadyStateAllocation {
    private SteadyStateAllocation() {}

    static double bytesPerRun(BenchCase benchCase, KernelStrategy strategy, long warmupNanos, int runs) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        InferenceEngine engine = InferenceEngine.builder(benchCase.model()).kernels(strategy).build();
        long until = System.nanoTime() + warmupNanos;
        while (System.nanoTime() < until) {
            engine.run();
        }
        // Three windows; the median one is reported, so a single late deoptimisation (which materialises
        // vector objects once) does not read as a per-inference cost.
        double[] windows = new double[3];
        for (int w = 0; w < windows.length; w++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < runs; i++) {
                engine.run();
            }
            windows[w] = (double) (threads.getCurrentThreadAllocatedBytes() - before) / runs;
        }
        java.util.Arrays.sort(windows);
        return windows[1];
    }
}
