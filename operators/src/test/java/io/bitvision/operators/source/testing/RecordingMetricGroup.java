package io.bitvision.operators.source.testing;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.OperatorIOMetricGroup;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A reader metric group that keeps every registered metric under its dotted name, e.g. {@code camera.c1.stalled}. */
public final class RecordingMetricGroup extends UnregisteredMetricsGroup implements SourceReaderMetricGroup {
    private final Map<String, Metric> metrics;
    private final String prefix;

    public RecordingMetricGroup() {
        this(new ConcurrentHashMap<>(), "");
    }

    private RecordingMetricGroup(Map<String, Metric> metrics, String prefix) {
        this.metrics = metrics;
        this.prefix = prefix;
    }

    public Metric get(String name) {
        return metrics.get(name);
    }

    public Object gaugeValue(String name) {
        return ((Gauge<?>) metrics.get(name)).getValue();
    }

    public long count(String name) {
        return ((Counter) metrics.get(name)).getCount();
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
        metrics.put(prefix + name, counter);
        return counter;
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
        metrics.put(prefix + name, gauge);
        return gauge;
    }

    @Override
    public MetricGroup addGroup(String name) {
        return new RecordingMetricGroup(metrics, prefix + name + ".");
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
        return new RecordingMetricGroup(metrics, prefix + key + "." + value + ".");
    }

    @Override
    public Counter getNumRecordsInErrorsCounter() {
        return new SimpleCounter();
    }

    @Override
    public void setPendingBytesGauge(Gauge<Long> gauge) {}

    @Override
    public void setPendingRecordsGauge(Gauge<Long> gauge) {}

    @Override
    public OperatorIOMetricGroup getIOMetricGroup() {
        return UnregisteredMetricsGroup.createOperatorIOMetricGroup();
    }
}
