package io.bitvision.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.operators.inference.DarkRegionsModel;
import io.bitvision.operators.inference.ModelRef;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.operators.preview.PreviewSampler;
import io.bitvision.operators.preview.PreviewSettings;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.FrameMasks;
import io.bitvision.schemas.FramePreview;
import io.bitvision.testkit.audit.CommittedRecords;
import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.testkit.clips.SampleVideo;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With --preview-topic the job commits, next to the masks, a downscaled JPEG of the frames the sampler picks by
 * capture time: recomputed here from the committed mask records, so a missing, extra or misnumbered preview fails.
 */
class PreviewITCase {
    @Test
    void previewsOfTheChosenFramesAreCommittedBesideTheirMasks(@TempDir Path cache) throws Exception {
        Path video = SampleVideo.vtest(cache);
        Model model = DarkRegionsModel.build(576, 768, 70);
        PreviewSettings previews = new PreviewSettings("pv.previews", 2, 320);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            Topics topics = new Topics("pv.masks", "pv.health", "pv.dead");
            broker.createTopics(1, topics.all());
            broker.createTopics(1, previews.topic());
            PipelineConfig config = PipelineConfig.builder()
                    .bootstrapServers(broker.bootstrapServers())
                    .topics(topics)
                    .camera("vtest", video.toString())
                    .model(ModelRef.ofBytes(model.name(), ModelWriter.toBytes(model)), "dark-region")
                    .checkpointInterval(Duration.ofMillis(500))
                    .transactionalIdPrefix("pv")
                    .previews(previews)
                    .build();
            assertThat(config.describe()).containsEntry("preview-topic", "pv.previews").containsEntry("preview-width", "320");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
            PipelineJob.define(env, config);
            env.execute("vtest with previews");

            Map<String, List<ConsumerRecord<byte[], byte[]>>> read = CommittedRecords.readAll(broker.bootstrapServers(),
                    new Properties(), Duration.ofSeconds(60), topics.masks(), previews.topic());
            List<FrameMasks> masks = read.get(topics.masks()).stream()
                    .map(r -> AvroRecords.decode(r.value(), FrameMasks.class)).toList();
            List<Long> expected = new ArrayList<>();
            PreviewSampler sampler = new PreviewSampler(previews.intervalMs());
            long last = PreviewSampler.NONE;
            for (FrameMasks m : masks) {
                long t = m.getCaptureTimeMs().toEpochMilli();
                if (sampler.due(t, last)) {
                    expected.add(m.getFrameSeq());
                    last = t;
                }
            }
            List<FramePreview> got = read.get(previews.topic()).stream()
                    .map(r -> AvroRecords.decode(r.value(), FramePreview.class)).toList();

            assertThat(masks).hasSize(795);
            assertThat(expected).as("vtest is 10 fps: every 5th frame at 2 previews/s").hasSize(159);
            assertThat(got.stream().map(FramePreview::getFrameSeq).toList()).isEqualTo(expected);
            for (ConsumerRecord<byte[], byte[]> r : read.get(previews.topic())) {
                assertThat(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("vtest");
            }
            FramePreview first = got.getFirst();
            assertThat(first.getFrameWidth()).isEqualTo(768);
            assertThat(first.getFrameHeight()).isEqualTo(576);
            assertThat(first.getWidth()).isEqualTo(320);
            assertThat(first.getHeight()).isEqualTo(240);
            assertThat(first.getCaptureTimeMs()).isEqualTo(masks.getFirst().getCaptureTimeMs());
            ByteBuffer jpeg = first.getJpeg();
            byte[] bytes = new byte[jpeg.remaining()];
            jpeg.duplicate().get(bytes);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            assertThat(image.getWidth()).isEqualTo(320);
            assertThat(image.getHeight()).isEqualTo(240);
            assertThat(distinctGreys(image)).as("a real frame, not a blank one").isGreaterThan(50);
        }
    }

    private static long distinctGreys(BufferedImage image) {
        java.util.BitSet seen = new java.util.BitSet(256);
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                seen.set((image.getRGB(x, y) >> 8) & 0xff);
            }
        }
        return seen.cardinality();
    }
}
