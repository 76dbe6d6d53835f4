package io.bitvision.jobs.pipeline;

import io.bitvision.operators.activity.CameraActivityFunction;
import io.bitvision.operators.faces.ColourLayoutEmbedder;
import io.bitvision.operators.faces.FaceAnalyzer;
import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.operators.faces.FaceMatchFunction;
import io.bitvision.operators.inference.InferenceFunction;
import io.bitvision.operators.kafka.OutboundRecord;
import io.bitvision.operators.preview.PreviewEncodeFunction;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
 * tracker -> one exactly-once Kafka sink for masks, health events and dead letters; optionally face matching against
 * a watchlist and per-camera activity counts. Operator uids are fixed so savepoints carry over between versions.
 */
public final class PipelineJob {
    private PipelineJob() {}

    private static FaceEmbedder faceEmbedder(PipelineConfig config) {
        return config.faceEmbedder() != null ? config.faceEmbedder() : new ColourLayoutEmbedder();
    }

    public static void define(StreamExecutionEnvironment env, PipelineConfig config) {
        env.setParallelism(config.parallelism());
        // What Flink's web UI shows as the job's user configuration: the settings with secrets hidden. The real
        // client settings travel only inside the Kafka source and sink.
        env.getConfig().setGlobalJobParameters(org.apache.flink.configuration.Configuration.fromMap(config.describe()));
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);

        VideoSource.Builder source = videoSource(config);
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
        boolean faces = config.watchlistTopic() != null;
        InferenceFunction inference = !faces
                ? new InferenceFunction(config.model(), config.topics(), config.maxArenaBytes(), config.minCells(), config.className())
                : config.faceDetector() != null
                ? new InferenceFunction(config.model(), config.topics(), config.maxArenaBytes(), config.minCells(),
                        config.className(), new FaceAnalyzer(config.faceDetector(), faceEmbedder(config)))
                : new InferenceFunction(config.model(), config.topics(), config.maxArenaBytes(), config.minCells(),
                        config.className(), faceEmbedder(config));
        inference.inferenceThreads(config.inferenceThreads());
        if (!config.faceCameras().isEmpty()) {
            inference.faceCameras(config.faceCameras());
        }
        if (!config.namedModels().isEmpty()) {
            inference.namedModels(config.namedModels());
        }
        if (!config.cameraModels().isEmpty()) {
            inference.cameraModels(config.cameraModels());
        }
        if (config.previews() != null) {
            inference.previews(config.previews());
        }
        SingleOutputStreamOperator<OutboundRecord> inferred = records.keyBy(record -> record.cameraId)
                .process(inference)
                .name("inference")
                .uid("inference");
        DataStream<OutboundRecord> output = inferred;
        if (faces) {
            output = output.union(faceMatches(env, config, inferred));
        }
        if (config.previews() != null) {
            // Its own chain, so JPEG encoding runs on another thread than inference.
            output = output.union(inferred.getSideOutput(InferenceFunction.PREVIEW_FRAMES)
                    .flatMap(new PreviewEncodeFunction(config.previews().topic()))
                    .name("preview-encode")
                    .uid("preview-encode")
                    .startNewChain());
        }
        if (config.activityBlockFrames() > 0) {
            output = output.union(inferred.getSideOutput(InferenceFunction.FRAME_SUMMARIES)
                    .keyBy(summary -> summary.cameraId)
                    .process(new CameraActivityFunction(config.activityTopic(), config.activityBlockFrames()))
                    .name("camera-activity")
                    .uid("camera-activity"));
        }
        output.sinkTo(ExactlyOnceSinks.create(config.bootstrapServers(), config.transactionalIdPrefix(),
                        config.producerProperties()))
                .name("kafka")
                .uid("kafka-sink");
    }

    /** The camera source for the configured cameras and registry, without building it. */
    public static VideoSource.Builder videoSource(PipelineConfig config) {
        VideoSource.Builder source = VideoSource.builder()
                .stallTimeout(config.stallTimeout())
                .maxReconnectAttempts(config.maxReconnectAttempts())
                .cameraSchemes(config.cameraSchemes());
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
        return source;
    }

    /**
     * Embeddings from the inference step, keyed by camera, against the watchlist broadcast to every subtask. A job
     * on files only reads the watchlist as it is at start (so the job can finish); otherwise it follows updates.
     */
    private static DataStream<OutboundRecord> faceMatches(StreamExecutionEnvironment env, PipelineConfig config,
                                                          SingleOutputStreamOperator<OutboundRecord> inferred) {
        boolean boundedJob = config.cameraRegistryTopic() == null && config.jpegTopic() == null
                && config.cameras().values().stream().allMatch(PipelineJob::isFile);
        KafkaSourceBuilder<byte[]> watchlist = KafkaSource.<byte[]>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.watchlistTopic())
                .setGroupId(config.transactionalIdPrefix() + "-watchlist")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setProperties(config.consumerProperties())
                .setProperty("isolation.level", "read_committed")
                .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(ByteArrayDeserializer.class));
        if (boundedJob) {
            watchlist.setBounded(OffsetsInitializer.latest());
        }
        BroadcastStream<byte[]> updates = env
                .fromSource(watchlist.build(), WatermarkStrategy.noWatermarks(), "watchlist")
                .uid("watchlist")
                .broadcast(FaceMatchFunction.WATCHLIST);
        return inferred.getSideOutput(InferenceFunction.FACE_CANDIDATES)
                .keyBy(candidate -> candidate.cameraId)
                .connect(updates)
                .process(new FaceMatchFunction(config.topics(), config.watchlistTopic(), config.faceThreshold(),
                        config.faceCooldownFrames(), faceEmbedder(config).id()))
                .name("face-match")
                .uid("face-match");
    }

    private static boolean isFile(String uri) {
        return !uri.contains("://") || uri.startsWith("file:");
    }
}
