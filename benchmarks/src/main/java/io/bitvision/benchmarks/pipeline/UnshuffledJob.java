package io.bitvision.benchmarks.pipeline;

import io.bitvision.jobs.pipeline.PipelineConfig;
import io.bitvision.jobs.pipeline.PipelineJob;
import io.bitvision.operators.inference.InferenceFunction;
import io.bitvision.operators.kafka.ExactlyOnceSinks;
import io.bitvision.operators.source.CameraRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A what-if variant of {@link PipelineJob#define} for the profile only ({@code --what-if}): the same operators, but
 * the keyBy between source and inference replaced by {@link DataStreamUtils#reinterpretAsKeyedStream}, so the
 * source, inference and sink run chained in one task and frames are handed over by reference (object reuse on)
 * instead of being serialized through the network stack. Correct at parallelism 1 only: with more subtasks a
 * camera's split is not necessarily read by the subtask that owns its key group. Not used by the job.
 */
final class UnshuffledJob {
    private UnshuffledJob() {}

    static void define(StreamExecutionEnvironment env, PipelineConfig config) {
        if (config.parallelism() != 1) {
            throw new IllegalArgumentException("the unshuffled variant is only correct at parallelism 1");
        }
        env.setParallelism(1);
        env.getConfig().enableObjectReuse();
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        DataStream<CameraRecord> records = env
                .fromSource(PipelineJob.videoSource(config).build(), WatermarkStrategy.noWatermarks(), "cameras")
                .uid("cameras");
        DataStreamUtils.reinterpretAsKeyedStream(records, record -> record.cameraId, Types.STRING)
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
