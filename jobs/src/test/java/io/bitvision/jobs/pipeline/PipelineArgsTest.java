package io.bitvision.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitvision.operators.faces.EngineFaceEmbedder;
import io.bitvision.operators.faces.OnnxFaceEmbedder;
import org.junit.jupiter.api.Test;

class PipelineArgsTest {
    private static final String FACE_BVM = "../engine/src/test/resources/face-v1/face.bvm";
    private static final String FACE_DETECTOR = "../engine/src/test/resources/face-detector-v1/face-detector.bvm";
    private static final String FACE_ONNX = "../operators/src/test/resources/faces/model.onnx";

    private static PipelineConfig parse(String... extra) throws Exception {
        String[] base = {"--bootstrap", "127.0.0.1:9092", "--camera", "a=file.avi", "--watchlist-topic", "w"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return PipelineArgs.parse(args);
    }

    @Test
    void withoutAFaceModelTheJobUsesTheTestEmbedder() throws Exception {
        assertThat(parse().faceEmbedder()).isNull();
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
    }

    @Test
    void withoutAModelOrTheDefaultFileTheStandInRuns() throws Exception {
        // Tests run in jobs/, where models/person-v1.bvm does not exist.
        assertThat(java.nio.file.Files.exists(PipelineArgs.DEFAULT_MODEL)).isFalse();
        assertThat(parse().className()).isEqualTo("dark-region");
    }

    @Test
    void aPersonModelIsNotAFaceModel() {
        assertThatThrownBy(() -> parse("--face-model", "../models/person-v1.bvm"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a face embedder");
    }

    @Test
    void theJobVersionNamesTheJobAndIsNotAPipelineOption() throws Exception {
        String[] args = {"--bootstrap", "localhost:9092", "--job-version", "2", "--camera", "c=/tmp/x.avi"};
        assertThat(PipelineMain.jobVersion(args)).isEqualTo("2");
        assertThat(PipelineMain.withoutJobVersion(args))
                .containsExactly("--bootstrap", "localhost:9092", "--camera", "c=/tmp/x.avi");
        assertThat(PipelineMain.jobVersion(PipelineMain.withoutJobVersion(args))).isNull();
        PipelineConfig config = PipelineArgs.parse(PipelineMain.withoutJobVersion(args));
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
