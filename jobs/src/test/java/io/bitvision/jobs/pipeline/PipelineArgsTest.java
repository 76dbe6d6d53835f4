package io.bitvision.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitvision.operators.faces.EngineFaceEmbedder;
import io.bitvision.operators.faces.OnnxFaceEmbedder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineArgsTest {
    private static final String FACE_BVM = "../engine/src/test/resources/face-v1/face.bvm";
    private static final String FACE_DETECTOR = "../engine/src/test/resources/face-detector-v2/face-detector.bvm";
    private static final String FACE_ONNX = "../operators/src/test/resources/faces/model.onnx";

    private static final String MODELS = "../models";

    private static PipelineConfig parse(String... extra) throws Exception {
        String[] base = {"--bootstrap", "127.0.0.1:9092", "--camera", "a=file.avi", "--watchlist-topic", "w",
                "--models-dir", MODELS};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return PipelineArgs.parse(args);
    }

    @Test
    void inferenceThreadsReachTheConfigAndAreBoundedWithTheFlagNamed() throws Exception {
        assertThat(parse().inferenceThreads()).isEqualTo(1);
        assertThat(parse("--inference-threads", "2").inferenceThreads()).isEqualTo(2);
        assertThat(parse("--inference-threads", "2").describe()).containsEntry("inference-threads", "2");
        assertThatThrownBy(() -> parse("--inference-threads", "0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--inference-threads");
    }

    @Test
    void cameraModelsAreReadByCameraIdAndAMissingFileOrMalformedSettingIsRefused(@TempDir Path dir) throws Exception {
        assertThat(parse().cameraModels()).isEmpty();
        PipelineConfig config = parse("--camera-model", "a=" + FACE_DETECTOR, "--camera-model", "pushed=" + FACE_BVM);
        assertThat(config.cameraModels()).containsOnlyKeys("a", "pushed");
        assertThat(config.cameraModels().get("a").bytes())
                .isEqualTo(java.nio.file.Files.readAllBytes(Path.of(FACE_DETECTOR)));
        assertThat(config.describe()).containsEntry("camera-model.pushed", FACE_BVM);
        Path missing = dir.resolve("street.bvm");
        assertThatThrownBy(() -> parse("--camera-model", "a=" + missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("no such file");
        assertThatThrownBy(() -> parse("--camera-model", FACE_BVM)).hasMessageContaining("--camera-model takes ID=PATH");
        assertThatThrownBy(() -> parse("--camera-model", "a=" + FACE_BVM, "--camera-model", "a=" + FACE_DETECTOR))
                .hasMessageContaining("camera a is given two models");
    }

    @Test
    void namedModelsAreShippedByNameAndBadNamesOrFilesAreRefused(@TempDir Path dir) throws Exception {
        assertThat(parse().namedModels()).isEmpty();
        PipelineConfig config = parse("--named-model", "street.v2=" + FACE_DETECTOR);
        assertThat(config.namedModels()).containsOnlyKeys("street.v2");
        assertThat(config.namedModels().get("street.v2").bytes())
                .isEqualTo(java.nio.file.Files.readAllBytes(Path.of(FACE_DETECTOR)));
        assertThat(config.describe()).containsEntry("named-model.street.v2", FACE_DETECTOR);
        assertThatThrownBy(() -> parse("--named-model", "street=" + dir.resolve("none.bvm")))
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> parse("--named-model", "a b=" + FACE_DETECTOR))
                .hasMessageContaining("a model name is 1-128 letters");
        assertThatThrownBy(() -> parse("--named-model", "s=" + FACE_DETECTOR, "--named-model", "s=" + FACE_BVM))
                .hasMessageContaining("model name s is given twice");
        assertThatThrownBy(() -> parse("--named-model", FACE_BVM)).hasMessageContaining("--named-model takes NAME=PATH");
    }

    @Test
    void faceCamerasNarrowFaceMatchingAndNeedAWatchlist() throws Exception {
        assertThat(parse().faceCameras()).isEmpty();
        assertThat(parse().describe()).containsEntry("face-cameras", "all");
        PipelineConfig config = parse("--face-camera", "door", "--face-camera", "a");
        assertThat(config.faceCameras()).containsExactly("a", "door");
        assertThat(config.describe()).containsEntry("face-cameras", "a,door");
        assertThatThrownBy(() -> PipelineArgs.parse("--bootstrap", "h:1", "--camera", "a=f.avi", "--models-dir", MODELS,
                "--face-camera", "a")).hasMessageContaining("--face-camera needs --watchlist-topic");
    }

    @Test
    void previewsAreOffUnlessATopicIsGivenAndTheirSettingsAreChecked() throws Exception {
        assertThat(parse().previews()).isNull();
        assertThat(parse().describe()).doesNotContainKey("preview-topic");
        var previews = parse("--preview-topic", "cams.previews").previews();
        assertThat(previews.topic()).isEqualTo("cams.previews");
        assertThat(previews.fps()).isEqualTo(1.0);
        assertThat(previews.width()).isEqualTo(640);
        var custom = parse("--preview-topic", "p", "--preview-fps", "0.5", "--preview-width", "320").previews();
        assertThat(custom.intervalMs()).isEqualTo(2000);
        assertThat(custom.width()).isEqualTo(320);
        assertThatThrownBy(() -> parse("--preview-width", "320")).hasMessageContaining("need --preview-topic");
        assertThatThrownBy(() -> parse("--preview-topic", "p", "--preview-fps", "0")).hasMessageContaining("--preview-fps");
        assertThatThrownBy(() -> parse("--preview-topic", "p", "--preview-width", "8")).hasMessageContaining("--preview-width");
    }

    @Test
    void aWatchlistUsesTheShippedFaceModelsWithTheirCalibratedThreshold() throws Exception {
        PipelineConfig config = parse();
        assertThat(config.faceEmbedder()).isInstanceOf(EngineFaceEmbedder.class);
        assertThat(config.faceDetector()).isNotNull();
        assertThat((double) config.faceThreshold()).isEqualTo(config.faceEmbedder().calibratedThreshold().orElseThrow(),
                org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void aWatchlistWithoutAFaceModelIsRefusedUnlessTheTestEmbedderIsAskedFor(@TempDir Path empty) throws Exception {
        assertThatThrownBy(() -> parse("--models-dir", empty.toString(), "--stand-in-model"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(empty.resolve(PipelineArgs.FACE_EMBEDDER_NAME).toAbsolutePath().toString())
                .hasMessageContaining("--face-model").hasMessageContaining("--test-embedder");
        PipelineConfig test = parse("--models-dir", empty.toString(), "--stand-in-model", "--test-embedder");
        assertThat(test.faceEmbedder()).isNull();
        assertThat(test.faceThreshold()).isEqualTo(PipelineArgs.TEST_EMBEDDER_THRESHOLD);
    }

    @Test
    void withoutThePersonModelTheJobRefusesToStartUnlessTheStandInIsAskedFor(@TempDir Path empty) throws Exception {
        String[] noWatchlist = {"--bootstrap", "h:1", "--camera", "a=file.avi", "--models-dir", empty.toString()};
        assertThatThrownBy(() -> PipelineArgs.parse(noWatchlist)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(empty.resolve(PipelineArgs.PERSON_MODEL_NAME).toAbsolutePath().toString())
                .hasMessageContaining("--model").hasMessageContaining("--stand-in-model");
        String[] standIn = {"--bootstrap", "h:1", "--camera", "a=file.avi", "--models-dir", empty.toString(),
                "--stand-in-model"};
        assertThat(PipelineArgs.parse(standIn).className()).isEqualTo("dark-region");
        assertThatThrownBy(() -> PipelineArgs.parse("--bootstrap", "h:1", "--camera", "a=f", "--model", "nope.bvm"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--model nope.bvm: no such file");
    }

    @Test
    void cameraSchemesDefaultToNetworkCamerasAndReachTheSource(@TempDir Path empty) throws Exception {
        String[] base = {"--bootstrap", "h:1", "--camera", "a=file.avi", "--models-dir", empty.toString(),
                "--stand-in-model"};
        PipelineConfig defaults = PipelineArgs.parse(base);
        assertThat(defaults.cameraSchemes()).containsExactly("http", "https", "rtsp", "rtsps");
        PipelineConfig wider = PipelineArgs.parse(java.util.stream.Stream.concat(java.util.Arrays.stream(base),
                java.util.stream.Stream.of("--camera-schemes", "rtsp,SRT")).toArray(String[]::new));
        assertThat(wider.cameraSchemes()).containsExactly("rtsp", "srt");
        assertThat(wider.describe()).containsEntry("camera-schemes", "rtsp,srt");
        assertThat(PipelineJob.videoSource(wider).build().options().uriPolicy().allowedSchemes())
                .containsExactlyInAnyOrder("rtsp", "srt");
        assertThatThrownBy(() -> PipelineArgs.parse(java.util.stream.Stream.concat(java.util.Arrays.stream(base),
                java.util.stream.Stream.of("--camera-schemes", "rtsp://")).toArray(String[]::new)))
                .hasMessageContaining("not a URI scheme: 'rtsp://'");
    }

    @Test
    void unknownOptionsAndMissingValuesAreUsageErrors() {
        assertThatThrownBy(() -> PipelineArgs.parse("--bogus", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bogus");
        assertThatThrownBy(() -> PipelineArgs.parse("--bootstrap")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bootstrap");
        assertThatThrownBy(() -> PipelineArgs.parse("--checkpoint-ms", "soon")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--checkpoint-ms").hasMessageContaining("soon");
    }

    @Test
    void aBvmFaceModelRunsOnTheEngineAndAnOnnxOneInOnnxRuntime() throws Exception {
        assertThat(parse("--face-model", FACE_BVM, "--face-threshold", "0.5").faceEmbedder()).isInstanceOf(EngineFaceEmbedder.class);
        PipelineConfig onnx = parse("--face-model", FACE_ONNX, "--face-threshold", "0.4");
        assertThat(onnx.faceEmbedder()).isInstanceOf(OnnxFaceEmbedder.class);
        assertThat(onnx.faceThreshold()).isEqualTo(0.4f);
    }

    @Test
    void aFaceModelWithoutACalibratedThresholdNeedsOne() {
        assertThatThrownBy(() -> parse("--face-model", FACE_BVM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("calibrate");
    }

    @Test
    void theFaceDetectorMustBeOne() throws Exception {
        assertThat(parse("--face-model", FACE_BVM, "--face-threshold", "0.5", "--face-detector", FACE_DETECTOR)
                .faceDetector()).isNotNull();
        assertThatThrownBy(() -> parse("--face-detector", "../models/person-v1.bvm"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a face detector");
    }

    @Test
    void theModelsClassNameComesFromItsMetadata() throws Exception {
        assertThat(parse("--model", "../models/person-v1.bvm").className()).isEqualTo("person");
        assertThat(parse().className()).isEqualTo("person");
    }

    @Test
    void aPersonModelIsNotAFaceModel() {
        assertThatThrownBy(() -> parse("--face-model", "../models/person-v1.bvm"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a face embedder");
    }

    @Test
    void theJobVersionNamesTheJobAndIsNotAPipelineOption() throws Exception {
        String[] args = {"--bootstrap", "localhost:9092", "--job-version", "2", "--camera", "c=/tmp/x.avi",
                "--models-dir", MODELS};
        PipelineArgs parsed = PipelineArgs.of(args);
        assertThat(parsed.jobVersion()).isEqualTo("2");
        assertThat(PipelineArgs.of("--bootstrap", "localhost:9092").jobVersion()).isNull();
        PipelineConfig config = parsed.toConfig(System.err);
        assertThat(PipelineMain.jobName(config, "2")).isEqualTo("bitvision pipeline 2 c");
        assertThat(PipelineMain.jobName(config)).isEqualTo("bitvision pipeline c");
    }

    @Test
    void activityCountsAreOffUnlessABlockSizeIsGiven() throws Exception {
        PipelineConfig off = parse();
        assertThat(off.activityBlockFrames()).isZero();
        assertThat(off.describe()).doesNotContainKey("activity-topic");
        PipelineConfig on = parse("--activity-block-frames", "300");
        assertThat(on.activityBlockFrames()).isEqualTo(300);
        assertThat(on.activityTopic()).isEqualTo("bitvision.activity");
        assertThat(on.describe()).containsEntry("activity-block-frames", "300");
        assertThat(parse("--activity-block-frames", "10", "--activity-topic", "lobby.activity").activityTopic())
                .isEqualTo("lobby.activity");
        assertThatThrownBy(() -> parse("--activity-block-frames", "-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("--activity-topic", "lobby.activity")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--activity-block-frames");
    }
}
