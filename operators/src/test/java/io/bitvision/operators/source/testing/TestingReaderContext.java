package io.bitvision.operators.source.testing;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.UserCodeClassLoader;

/** A reader context outside a Flink task: metrics recorded by name, no coordinator. */
public final class TestingReaderContext implements SourceReaderContext {
    private final RecordingMetricGroup metrics = new RecordingMetricGroup();

    @Override
    public RecordingMetricGroup metricGroup() {
        return metrics;
    }

    @Override
    public Configuration getConfiguration() {
        return new Configuration();
    }

    @Override
    public String getLocalHostName() {
        return "localhost";
    }

    @Override
    public int getIndexOfSubtask() {
        return 0;
    }

    @Override
    public void sendSplitRequest() {}

    @Override
    public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {}

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
        return new UserCodeClassLoader() {
            @Override
            public ClassLoader asClassLoader() {
                return TestingReaderContext.class.getClassLoader();
            }

            @Override
            public void registerReleaseHookIfAbsent(String name, Runnable hook) {}
        };
    }

    @Override
    public int currentParallelism() {
        return 1;
    }
}
