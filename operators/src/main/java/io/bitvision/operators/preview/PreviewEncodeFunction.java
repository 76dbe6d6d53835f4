package io.bitvision.operators.preview;

import io.bitvision.operators.kafka.OutboundRecord;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.FramePreview;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes downscaled preview frames as JPEGs and emits them as {@code FramePreview} records for the preview topic. A
 * frame that cannot be encoded is logged and counted ({@code previewFailures}); its masks are not affected.
 */
public final class PreviewEncodeFunction extends RichFlatMapFunction<PreviewFrame, OutboundRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PreviewEncodeFunction.class);

    private final String topic;
    private transient PreviewEncoder encoder;
    private transient Counter failures;

    public PreviewEncodeFunction(String topic) {
        this.topic = topic;
    }

    @Override
    public void open(OpenContext openContext) {
        encoder = new PreviewEncoder(PreviewSettings.MAX_WIDTH);
        failures = getRuntimeContext().getMetricGroup().addGroup("previews").counter("previewFailures");
    }

    @Override
    public void flatMap(PreviewFrame frame, Collector<OutboundRecord> out) {
        PreviewEncoder.Jpeg jpeg;
        try {
            jpeg = encoder.encode(new PreviewScaler.Scaled(frame.bgr, frame.width, frame.height));
        } catch (RuntimeException e) {
            failures.inc();
            LOG.warn("no preview for frame {} of camera {}: {}", frame.frameSeq, frame.cameraId, e.toString());
            return;
        }
        FramePreview value = FramePreview.newBuilder()
                .setCameraId(frame.cameraId)
                .setFrameSeq(frame.frameSeq)
                .setCaptureTimeMs(Instant.ofEpochMilli(frame.captureTimeMs))
                .setFrameWidth(frame.frameWidth)
                .setFrameHeight(frame.frameHeight)
                .setWidth(jpeg.width())
                .setHeight(jpeg.height())
                .setJpeg(ByteBuffer.wrap(jpeg.bytes()))
                .build();
        out.collect(new OutboundRecord(topic, frame.cameraId.getBytes(StandardCharsets.UTF_8), AvroRecords.encode(value),
                frame.captureTimeMs));
    }
}
