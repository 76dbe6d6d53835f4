package io.bitvision.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.engine.model.ModelWriter;
import io.bitvision.operators.inference.DarkRegionsModel;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.operators.source.registry.CameraRegistryWriter;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.CameraHealth;
import io.bitvision.schemas.CameraState;
import io.bitvision.schemas.FrameMasks;
import io.bitvision.testkit.audit.CommittedRecords;
import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import io.bitvision.testkit.clips.SampleVideo;
import io.bitvision.testkit.clips.VideoClip;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-camera models in one job, from the command line to committed records: three cameras on the same clip, one on
 * the default model, one on a model of its own (named on every one of its mask records) and one whose model file is
 * truncated, which gets one FAILED health event naming the file while the other two publish every frame. Then
 * cameras registered while the job runs that ask for a model by name in their registry record.
 */
class CameraModelsITCase {
    private static final int FRAMES = 120;

    @Test
    void camerasRunTheirOwnModelsAndABrokenModelFileStopsOnlyItsCamera(@TempDir Path dir) throws Exception {
        Path clip = VideoClip.firstFrames(SampleVideo.vtest(dir), FRAMES, dir);
        Path standard = Files.write(dir.resolve("dark.bvm"), ModelWriter.toBytes(DarkRegionsModel.build(576, 768, 70)));
        byte[] otherBytes = ModelWriter.toBytes(DarkRegionsModel.buildCenterInst(576, 768, 70));
        Path other = Files.write(dir.resolve("street.bvm"), otherBytes);
        Path truncated = Files.write(dir.resolve("cut.bvm"), java.util.Arrays.copyOf(otherBytes, otherBytes.length - 100));
        Topics topics = Topics.defaults();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(1, topics.all());
            PipelineConfig config = PipelineArgs.of("--bootstrap", broker.bootstrapServers(),
                    "--camera", "lobby=" + clip, "--camera", "street=" + clip, "--camera", "broken=" + clip,
                    "--model", standard.toString(),
                    "--camera-model", "street=" + other, "--camera-model", "broken=" + truncated,
                    "--checkpoint-ms", "500", "--transactional-id-prefix", "cm")
                    .toConfig(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
            PipelineJob.define(env, config);
            env.execute("per-camera models");

            Map<String, List<ConsumerRecord<byte[], byte[]>>> read = CommittedRecords.readAll(broker.bootstrapServers(),
                    new Properties(), Duration.ofSeconds(60), topics.masks(), topics.health());
            Map<String, List<String>> modelsByCamera = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : read.get(topics.masks())) {
                FrameMasks masks = AvroRecords.decode(r.value(), FrameMasks.class);
                modelsByCamera.computeIfAbsent(masks.getCameraId(), c -> new ArrayList<>()).add(masks.getModelId());
            }
            List<CameraHealth> failed = read.get(topics.health()).stream()
                    .map(r -> AvroRecords.decode(r.value(), CameraHealth.class))
                    .filter(h -> h.getState() == CameraState.FAILED).toList();

            assertThat(modelsByCamera).containsOnlyKeys("lobby", "street");
            assertThat(modelsByCamera.get("lobby")).hasSize(FRAMES).containsOnly(DarkRegionsModel.NAME);
            assertThat(modelsByCamera.get("street")).hasSize(FRAMES).containsOnly(DarkRegionsModel.CENTER_INST_NAME);
            assertThat(failed).singleElement().satisfies(h -> {
                assertThat(h.getCameraId()).isEqualTo("broken");
                assertThat(h.getReason()).contains("model " + truncated + " of camera broken cannot run");
            });
        }
    }

    @Test
    void aRegisteredCameraRunsTheModelItsRecordNamesAndAnUnknownNameFailsOnlyThatCamera(@TempDir Path dir)
            throws Exception {
        Path clip = VideoClip.firstFrames(SampleVideo.vtest(dir), FRAMES, dir);
        Path standard = Files.write(dir.resolve("dark.bvm"), ModelWriter.toBytes(DarkRegionsModel.build(576, 768, 70)));
        Path street = Files.write(dir.resolve("street.bvm"),
                ModelWriter.toBytes(DarkRegionsModel.buildCenterInst(576, 768, 70)));
        Topics topics = Topics.defaults();
        String registry = "registry.cameras";
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(1, topics.all());
            broker.createTopics(1, registry);
            PipelineConfig config = PipelineArgs.of("--bootstrap", broker.bootstrapServers(),
                    "--camera-registry", registry, "--camera-schemes", "file", "--model", standard.toString(),
                    "--named-model", "street.v2=" + street,
                    "--checkpoint-ms", "500", "--transactional-id-prefix", "cmr")
                    .toConfig(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
            PipelineJob.define(env, config);
            JobClient job = env.executeAsync("registry models");
            RunningJob.awaitSteadilyRunning(job, Duration.ofSeconds(3));
            String uri = clip.toString();
            CameraRegistryWriter.register(broker.bootstrapServers(), new Properties(), registry, "aisle", uri, "street.v2");
            CameraRegistryWriter.register(broker.bootstrapServers(), new Properties(), registry, "ghost", uri, "nowhere.v1");
            CameraRegistryWriter.register(broker.bootstrapServers(), registry, "plain", uri);
            Map<String, List<ConsumerRecord<byte[], byte[]>>> read = RunningJob.awaitCommitted(job,
                    broker.bootstrapServers(), new Properties(), new String[] {topics.masks(), topics.health()},
                    Duration.ofSeconds(120), r -> {
                        Map<String, Long> frames = new TreeMap<>();
                        for (ConsumerRecord<byte[], byte[]> m : r.get(topics.masks())) {
                            frames.merge(AvroRecords.decode(m.value(), FrameMasks.class).getCameraId(), 1L, Long::sum);
                        }
                        boolean ghostFailed = r.get(topics.health()).stream()
                                .map(h -> AvroRecords.decode(h.value(), CameraHealth.class))
                                .anyMatch(h -> h.getCameraId().equals("ghost") && h.getState() == CameraState.FAILED);
                        return frames.getOrDefault("aisle", 0L) >= FRAMES && frames.getOrDefault("plain", 0L) >= FRAMES
                                && ghostFailed ? null : "frames " + frames + ", ghost failed: " + ghostFailed;
                    });
            job.cancel().get();

            Map<String, List<String>> modelsByCamera = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : read.get(topics.masks())) {
                FrameMasks masks = AvroRecords.decode(r.value(), FrameMasks.class);
                modelsByCamera.computeIfAbsent(masks.getCameraId(), c -> new ArrayList<>()).add(masks.getModelId());
            }
            assertThat(modelsByCamera).containsOnlyKeys("aisle", "plain");
            assertThat(modelsByCamera.get("aisle")).hasSize(FRAMES).containsOnly(DarkRegionsModel.CENTER_INST_NAME);
            assertThat(modelsByCamera.get("plain")).hasSize(FRAMES).containsOnly(DarkRegionsModel.NAME);
            assertThat(read.get(topics.health()).stream().map(r -> AvroRecords.decode(r.value(), CameraHealth.class))
                    .filter(h -> h.getState() == CameraState.FAILED).toList())
                    .singleElement().satisfies(h -> {
                        assertThat(h.getCameraId()).isEqualTo("ghost");
                        assertThat(h.getReason()).contains("asks for model 'nowhere.v1'").contains("[street.v2]");
                    });
        }
    }
}
