package io.bitvision.jobs.pipeline;

import io.bitvision.operators.inference.InferenceFunction;
import io.bitvision.operators.kafka.ExactlyOnceSinks;
import io.bitvision.operators.source.CameraRecord;
import io.bitvision.operators.source.VideoSource;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The pipeline: cameras (one split each) -> keyed by camera -> engine + tracker -> one exactly-once Kafka sink
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
        DataStream<CameraRecord> records = env
                .fromSource(source.build(), WatermarkStrategy.noWatermarks(), "cameras")
                .uid("cameras");
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
