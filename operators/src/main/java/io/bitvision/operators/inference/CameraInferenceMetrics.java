package io.bitvision.operators.inference;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Inference metrics of one camera, under the group {@code camera.<id>} (the source registers decode fps,
 * reconnects and stall state under the same group): inference fps, inference latency, capture-to-emit lag and
 * dropped frames.
 */
final class CameraInferenceMetrics {
    private final Meter inferenceFps;
    private final Histogram inferenceLatencyMs;
    private final Counter framesDropped;
    private volatile long captureToEmitLagMs;

    CameraInferenceMetrics(MetricGroup root, String cameraId) {
        MetricGroup group = root.addGroup("camera", cameraId);
        inferenceFps = group.meter("inferenceFps", new MeterView(10));
        inferenceLatencyMs = group.histogram("inferenceLatencyMs", new DescriptiveStatisticsHistogram(500));
        framesDropped = group.counter("inferenceFramesDropped");
        group.gauge("captureToEmitLagMs", () -> captureToEmitLagMs);
    }

    void frame(long latencyNanos, long captureTimeMs, int droppedBefore) {
        inferenceFps.markEvent();
        inferenceLatencyMs.update(latencyNanos / 1_000_000);
        framesDropped.inc(droppedBefore);
        captureToEmitLagMs = System.currentTimeMillis() - captureTimeMs;
    }
}
