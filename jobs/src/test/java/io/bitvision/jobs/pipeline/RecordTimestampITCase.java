package io.bitvision.jobs.pipeline;

import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.operators.inference.DarkRegionsModel;
import io.bitvision.operators.inference.ModelRef;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.CaptureTimeSource;
import io.bitvision.schemas.FrameMasks;
import io.bitvision.testkit.audit.CommittedRecords;
import io.bitvision.testkit.audit.MaskAudit;
import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.testkit.clips.SampleVideo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file camera is stamped "first frame's ingest time + PTS", so vtest.avi (79.5 s of video) decoded in a few seconds
 * has capture times over a minute ahead of the clock. Against a broker that refuses record timestamps more than 10 s
 * in the future, every frame must still be committed exactly once: the Kafka record's timestamp is never ahead of
 * the clock, while the Avro body keeps the PTS-derived capture time.
 */
class RecordTimestampITCase {
    private static final int VTEST_FRAMES = 795;
    private static final long AFTER_MAX_MS = 10_000;

    @Test
    void clipDecodedFasterThanRealTimeIsAcceptedByABrokerThatBoundsFutureTimestamps(@TempDir Path cache)
            throws Exception {
        Path video = SampleVideo.vtest(cache);
        Model model = DarkRegionsModel.build(576, 768, 70);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .config("log.message.timestamp.after.max.ms", Long.toString(AFTER_MAX_MS))
                .start()) {
            Topics topics = new Topics("ts.masks", "ts.health", "ts.dead");
            broker.createTopics(1, topics.all());
            PipelineConfig config = PipelineConfig.builder()
                    .bootstrapServers(broker.bootstrapServers())
                    .topics(topics)
                    .camera("vtest", video.toString())
                    .model(ModelRef.ofBytes(model.name(), ModelWriter.toBytes(model)), "dark-region")
                    .checkpointInterval(Duration.ofMillis(500))
                    .transactionalIdPrefix("ts")
                    .build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
            PipelineJob.define(env, config);
            long started = System.currentTimeMillis();
            env.execute("vtest faster than real time");
            long finished = System.currentTimeMillis();

            List<ConsumerRecord<byte[], byte[]>> masks = CommittedRecords.readAll(broker.bootstrapServers(),
                    new Properties(), Duration.ofSeconds(60), topics.masks()).get(topics.masks());
            MaskAudit audit = MaskAudit.of(masks);
            assertThat(audit.records()).isEqualTo(VTEST_FRAMES);
            assertThat(audit.duplicates()).isZero();
            assertThat(audit.gaps()).isZero();

            FrameMasks last = AvroRecords.decode(masks.getLast().value(), FrameMasks.class);
            assertThat(last.getCaptureTimeSource()).isEqualTo(CaptureTimeSource.STREAM_PTS);
            assertThat(last.getCaptureTimeMs().toEpochMilli() - finished)
                    .as("the clip ran well past the broker's bound (else this test proves nothing)")
                    .isGreaterThan(2 * AFTER_MAX_MS);
            for (ConsumerRecord<byte[], byte[]> record : masks) {
                FrameMasks body = AvroRecords.decode(record.value(), FrameMasks.class);
                assertThat(record.timestamp()).isBetween(started, finished)
                        .isLessThanOrEqualTo(body.getCaptureTimeMs().toEpochMilli());
            }
        }
    }
}
