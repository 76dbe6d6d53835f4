package io.bitvision.operators.source.testing;

import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * An enumerator context without a JobManager: records assignments and "no more splits" signals; async calls are
 * kept and run on demand with {@link #runAsyncCalls()}, on the calling thread.
 */
public final class TestingEnumeratorContext<SplitT extends SourceSplit> implements SplitEnumeratorContext<SplitT> {
    private final int parallelism;
    private final Map<Integer, ReaderInfo> readers = new TreeMap<>();
    public final Map<Integer, List<SplitT>> assigned = new HashMap<>();
    public final Set<Integer> noMoreSplits = new HashSet<>();
    private final List<Runnable> asyncCalls = new ArrayList<>();

    public TestingEnumeratorContext(int parallelism) {
        this.parallelism = parallelism;
    }

    public void registerReader(int subtask) {
        readers.put(subtask, new ReaderInfo(subtask, "localhost"));
    }

    public void unregisterReader(int subtask) {
        readers.remove(subtask);
    }

    public List<SplitT> assignedTo(int subtask) {
        return assigned.getOrDefault(subtask, List.of());
    }

    public void runAsyncCalls() {
        asyncCalls.forEach(Runnable::run);
    }

    @Override
    public SplitEnumeratorMetricGroup metricGroup() {
        return UnregisteredMetricsGroup.createSplitEnumeratorMetricGroup();
    }

    @Override
    public void sendEventToSourceReader(int subtaskId, SourceEvent event) {}

    @Override
    public int currentParallelism() {
        return parallelism;
    }

    @Override
    public Map<Integer, ReaderInfo> registeredReaders() {
        return readers;
    }

    @Override
    public void assignSplits(SplitsAssignment<SplitT> assignment) {
        assignment.assignment().forEach((subtask, splits) -> {
            if (!readers.containsKey(subtask)) {
                throw new IllegalStateException("assigned to unregistered reader " + subtask);
            }
            assigned.computeIfAbsent(subtask, k -> new ArrayList<>()).addAll(splits);
        });
    }

    @Override
    public void signalNoMoreSplits(int subtask) {
        noMoreSplits.add(subtask);
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
        callAsync(callable, handler, 0, 0);
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler, long initialDelay,
                              long period) {
        asyncCalls.add(() -> {
            try {
                handler.accept(callable.call(), null);
            } catch (Exception e) {
                handler.accept(null, e);
            }
        });
    }

    @Override
    public void runInCoordinatorThread(Runnable runnable) {
        runnable.run();
    }
}
