package io.bitvision.jobs.pipeline;

import io.bitvision.operators.inference.InferenceFunction;
import io.bitvision.operators.kafka.ExactlyOnceSinks;
import io.bitvision.operators.source.CameraRecord;
import io.bitvision.operators.source.VideoSource;
import io.bitvision.operators.source.kafka.FrameSequencer;
import io.bitvision.operators.source.kafka.KafkaJpegIngest;
import io.bitvision.operators.source.registry.KafkaCameraRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The pipeline: cameras (one split each) and cameras pushing JPEG frames to Kafka -> keyed by camera -> engine +
 * tracker -> one exactly-once Kafka sink
 * for masks, health events and dead letters. Operator uids are fixed so savepoints carry over between versions.
 */
public final class PipelineJob {
    private PipelineJob() {}

    public static void define(StreamExecutionEnvironment env, PipelineConfig config) {
        env.setParallelism(config.parallelism());
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);

        VideoSource.Builder source = VideoSource.builder()
                .stallTimeout(config.stallTimeout())
                .maxReconnectAttempts(config.maxReconnectAttempts());
        if (config.targetFps() > 0) {
            source.targetFps(config.targetFps());
        }
        for (Map.Entry<String, String> camera : config.cameras().entrySet()) {
            source.camera(camera.getKey(), camera.getValue());
        }
        if (config.cameraRegistryTopic() != null) {
            source.discovery(new KafkaCameraRegistry(config.bootstrapServers(), config.cameraRegistryTopic(),
                    config.consumerProperties(), config.targetFps()), Duration.ofSeconds(2));
        }
        DataStream<CameraRecord> records = null;
        if (!config.cameras().isEmpty() || config.cameraRegistryTopic() != null) {
            records = env.fromSource(source.build(), WatermarkStrategy.noWatermarks(), "cameras").uid("cameras");
        }
        if (config.jpegTopic() != null) {
            // Pushed frames carry no sequence numbers: number them per camera before the tracker needs them.
            DataStream<CameraRecord> pushed = env
                    .fromSource(KafkaJpegIngest.builder()
                            .bootstrapServers(config.bootstrapServers())
                            .topics(config.jpegTopic())
                            .groupId(config.transactionalIdPrefix() + "-jpeg-ingest")
                            .consumerProperties(config.consumerProperties())
                            .build(), WatermarkStrategy.noWatermarks(), "camera-jpeg")
                    .uid("camera-jpeg")
                    .keyBy(record -> record.cameraId)
                    .process(new FrameSequencer())
                    .name("frame-sequencer")
                    .uid("frame-sequencer");
            records = records == null ? pushed : records.union(pushed);
        }
        records.keyBy(record -> record.cameraId)
                .process(new InferenceFunction(config.model(), config.topics(), config.maxArenaBytes(),
                        config.minCells(), config.className()))
                .name("inference")
                .uid("inference")
                .sinkTo(ExactlyOnceSinks.create(config.bootstrapServers(), config.transactionalIdPrefix(),
                        config.producerProperties()))
                .name("kafka")
                .uid("kafka-sink");
    }
}
