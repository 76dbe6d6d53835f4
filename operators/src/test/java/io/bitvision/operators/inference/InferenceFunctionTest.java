package io.bitvision.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.operators.faces.ColourLayoutEmbedder;
import io.bitvision.operators.faces.FaceAnalyzer;
import io.bitvision.operators.faces.FaceCandidate;
import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.operators.faces.EngineFaceDetector;
import io.bitvision.operators.faces.FrameFaceDetector;
import io.bitvision.operators.kafka.OutboundRecord;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.operators.source.CameraRecord;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.DeadLetter;
import io.bitvision.schemas.FrameMasks;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The keyed inference step: masks with tracked ids for frames, a dead letter (not a job failure) for a bad one. */
class InferenceFunctionTest {
    private static final Topics TOPICS = Topics.defaults();

    private static CameraRecord frame(String camera, long seq, int height, int width, byte[] rgb) {
        CameraRecord r = new CameraRecord();
        r.kind = CameraRecord.Kind.FRAME;
        r.cameraId = camera;
        r.frameSeq = seq;
        r.captureTimeMs = 1_000 + seq;
        r.captureTimeSource = CameraRecord.CaptureTimeSource.INGEST_CLOCK;
        r.ingestTimeMs = 1_000 + seq;
        r.height = height;
        r.width = width;
        r.rgb = rgb;
        return r;
    }

    /** A light frame with one dark square at (x, 16). */
    private static byte[] square(int height, int width, int x) {
        byte[] rgb = new byte[height * width * 3];
        java.util.Arrays.fill(rgb, (byte) 200);
        for (int y = 16; y < 40; y++) {
            for (int i = x; i < x + 24; i++) {
                int at = (y * width + i) * 3;
                rgb[at] = rgb[at + 1] = rgb[at + 2] = 10;
            }
        }
        return rgb;
    }

    @Test
    void aMovingSquareKeepsItsTrackAndABrokenFrameBecomesADeadLetter() throws Exception {
        Model model = DarkRegionsModel.build(64, 96, 70);
        InferenceFunction inference = new InferenceFunction(ModelRef.ofBytes(model.name(), ModelWriter.toBytes(model)),
                TOPICS, 64L << 20, 2, "dark-region");
        List<OutboundRecord> out;
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(inference),
                (CameraRecord r) -> r.cameraId, Types.STRING)) {
            h.open();
            h.processElement(frame("cam", 0, 64, 96, square(64, 96, 8)), 0);
            h.processElement(frame("cam", 1, 64, 96, square(64, 96, 12)), 1);
            h.processElement(frame("cam", 2, 64, 96, new byte[10]), 2); // pixel buffer does not match its size
            h.processElement(frame("cam", 3, 64, 96, square(64, 96, 16)), 3);
            out = h.extractOutputValues();
        }
        assertThat(out).extracting(r -> r.topic)
                .containsExactly(TOPICS.masks(), TOPICS.masks(), TOPICS.deadLetters(), TOPICS.masks());
        FrameMasks first = AvroRecords.decode(out.get(0).value, FrameMasks.class);
        FrameMasks last = AvroRecords.decode(out.get(3).value, FrameMasks.class);
        assertThat(first.getInstances()).hasSize(1);
        assertThat(last.getInstances()).hasSize(1);
        assertThat(last.getInstances().get(0).getTrackId()).isEqualTo(first.getInstances().get(0).getTrackId());
        assertThat(first.getInstances().get(0).getArea()).isEqualTo(24L * 24);
        DeadLetter letter = AvroRecords.decode(out.get(2).value, DeadLetter.class);
        assertThat(letter.getErrorType()).isEqualTo("INFERENCE_FAILED");
        assertThat(letter.getPosition()).isEqualTo(2L);
        assertThat(letter.getReason()).contains("image has 10 bytes");
    }

    /** A frame with faces: the face detector fixture's first case (a Megamind.avi frame at 240x320). */
    private static byte[] faceFrame() throws java.io.IOException {
        try (var in = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(FACE_FIXTURES.resolve("image-0.rgb.gz")))) {
            return in.readAllBytes();
        }
    }

    private static final java.nio.file.Path FACE_FIXTURES =
            java.nio.file.Path.of("..", "engine", "src", "test", "resources", "face-detector-v2");

    private static List<OutboundRecord> runFaces(FaceEmbedder embedder, List<FaceCandidate> candidates) throws Exception {
        return runFaces(embedder, candidates, java.util.Set.of());
    }

    private static List<OutboundRecord> runFaces(FaceEmbedder embedder, List<FaceCandidate> candidates,
                                                 java.util.Set<String> faceCameras) throws Exception {
        Model model = DarkRegionsModel.build(240, 320, 70);
        FrameFaceDetector detector = new EngineFaceDetector(
                java.nio.file.Files.readAllBytes(FACE_FIXTURES.resolve("face-detector.bvm")));
        InferenceFunction inference = new InferenceFunction(ModelRef.ofBytes(model.name(), ModelWriter.toBytes(model)),
                TOPICS, 64L << 20, 2, "dark-region", new FaceAnalyzer(detector, embedder)).faceCameras(faceCameras);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(inference),
                (CameraRecord r) -> r.cameraId, Types.STRING)) {
            h.open();
            h.processElement(frame("cam", 0, 240, 320, faceFrame()), 0);
            h.processElement(frame("cam", 1, 240, 320, faceFrame()), 1);
            var side = h.getSideOutput(InferenceFunction.FACE_CANDIDATES);
            if (side != null) {
                side.forEach(r -> candidates.add(r.getValue()));
            }
            return h.extractOutputValues();
        }
    }

    @Test
    void eachCameraRunsItsOwnModelAndOneThatCannotRunIsReportedOnceWhileTheOthersGoOn() throws Exception {
        Model standard = DarkRegionsModel.build(64, 96, 70);
        Model other = DarkRegionsModel.buildCenterInst(64, 96, 70);
        Model large = DarkRegionsModel.build(640, 960, 70);
        byte[] otherBytes = ModelWriter.toBytes(other);
        long bound = new FrameAnalyzer(large, 1L << 30, 2).arenaBytes() - 1;
        assertThat(new FrameAnalyzer(other, bound, 2).arenaBytes()).isLessThan(bound);
        InferenceFunction inference = new InferenceFunction(ModelRef.ofBytes("standard.bvm", ModelWriter.toBytes(standard)),
                TOPICS, bound, 2, "dark-region")
                .cameraModels(java.util.Map.of(
                        "own", ModelRef.ofBytes("other.bvm", otherBytes),
                        "truncated", ModelRef.ofBytes("cut.bvm", java.util.Arrays.copyOf(otherBytes, otherBytes.length / 2)),
                        "too-large", ModelRef.ofBytes("large.bvm", ModelWriter.toBytes(large))));
        List<OutboundRecord> out;
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(inference),
                (CameraRecord r) -> r.cameraId, Types.STRING)) {
            h.open();
            for (int seq = 0; seq < 3; seq++) {
                for (String camera : List.of("truncated", "default", "too-large", "own")) {
                    h.processElement(frame(camera, seq, 64, 96, square(64, 96, 8 + seq)), seq);
                }
            }
            out = h.extractOutputValues();
        }
        java.util.Map<String, List<String>> models = new java.util.TreeMap<>();
        java.util.Map<String, List<String>> failures = new java.util.TreeMap<>();
        for (OutboundRecord r : out) {
            String camera = new String(r.key, java.nio.charset.StandardCharsets.UTF_8);
            if (r.topic.equals(TOPICS.masks())) {
                FrameMasks masks = AvroRecords.decode(r.value, FrameMasks.class);
                assertThat(masks.getInstances()).as("masks of %s", camera).hasSize(1);
                models.computeIfAbsent(camera, c -> new java.util.ArrayList<>()).add(masks.getModelId());
            } else {
                assertThat(r.topic).isEqualTo(TOPICS.health());
                io.bitvision.schemas.CameraHealth health = AvroRecords.decode(r.value, io.bitvision.schemas.CameraHealth.class);
                assertThat(health.getState()).isEqualTo(io.bitvision.schemas.CameraState.FAILED);
                failures.computeIfAbsent(camera, c -> new java.util.ArrayList<>()).add(health.getReason());
            }
        }
        assertThat(models).containsOnlyKeys("default", "own");
        assertThat(models.get("default")).containsOnly(DarkRegionsModel.NAME).hasSize(3);
        assertThat(models.get("own")).containsOnly(DarkRegionsModel.CENTER_INST_NAME).hasSize(3);
        assertThat(failures).containsOnlyKeys("truncated", "too-large");
        assertThat(failures.get("truncated")).singleElement().asString()
                .contains("model cut.bvm of camera truncated cannot run");
        assertThat(failures.get("too-large")).singleElement().asString()
                .contains("model large.bvm of camera too-large cannot run").contains("arena");
    }

    @Test
    void aModelNamedInTheRegistryRecordWinsAndAnUnknownNameFailsOnlyItsCamera() throws Exception {
        Model standard = DarkRegionsModel.build(64, 96, 70);
        byte[] otherBytes = ModelWriter.toBytes(DarkRegionsModel.buildCenterInst(64, 96, 70));
        InferenceFunction inference = new InferenceFunction(ModelRef.ofBytes("standard.bvm", ModelWriter.toBytes(standard)),
                TOPICS, 64L << 20, 2, "dark-region")
                .namedModels(java.util.Map.of("street.v2", ModelRef.ofBytes("street.bvm", otherBytes)))
                .cameraModels(java.util.Map.of("by-id", ModelRef.ofBytes("standard-copy.bvm", ModelWriter.toBytes(standard))));
        java.util.Map<String, String> asked = new java.util.LinkedHashMap<>();
        asked.put("named", "street.v2");
        asked.put("by-id", "street.v2"); // the registry's name wins over the id's model
        asked.put("unknown", "nowhere.v9");
        asked.put("plain", null);
        List<OutboundRecord> out;
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(inference),
                (CameraRecord r) -> r.cameraId, Types.STRING)) {
            h.open();
            for (int seq = 0; seq < 2; seq++) {
                for (var camera : asked.entrySet()) {
                    CameraRecord record = frame(camera.getKey(), seq, 64, 96, square(64, 96, 8 + seq));
                    record.model = camera.getValue();
                    h.processElement(record, seq);
                }
            }
            out = h.extractOutputValues();
        }
        java.util.Map<String, List<String>> models = new java.util.TreeMap<>();
        List<String> failures = new java.util.ArrayList<>();
        for (OutboundRecord r : out) {
            String camera = new String(r.key, java.nio.charset.StandardCharsets.UTF_8);
            if (r.topic.equals(TOPICS.masks())) {
                models.computeIfAbsent(camera, c -> new java.util.ArrayList<>())
                        .add(AvroRecords.decode(r.value, FrameMasks.class).getModelId());
            } else {
                io.bitvision.schemas.CameraHealth health = AvroRecords.decode(r.value, io.bitvision.schemas.CameraHealth.class);
                assertThat(health.getState()).isEqualTo(io.bitvision.schemas.CameraState.FAILED);
                failures.add(camera + ": " + health.getReason());
            }
        }
        assertThat(models).containsOnlyKeys("named", "by-id", "plain");
        assertThat(models.get("named")).containsExactly(DarkRegionsModel.CENTER_INST_NAME, DarkRegionsModel.CENTER_INST_NAME);
        assertThat(models.get("by-id")).containsOnly(DarkRegionsModel.CENTER_INST_NAME);
        assertThat(models.get("plain")).containsOnly(DarkRegionsModel.NAME);
        assertThat(failures).singleElement().asString()
                .startsWith("unknown: camera unknown asks for model 'nowhere.v9'")
                .contains("--named-model nowhere.v9=PATH").contains("[street.v2]");
    }

    @Test
    void onlyTheFaceCamerasAreSearchedForFacesAndTheOthersStillGetMasks() throws Exception {
        List<FaceCandidate> listed = new java.util.ArrayList<>();
        runFaces(new ColourLayoutEmbedder(), listed, java.util.Set.of("cam"));
        assertThat(listed).isNotEmpty();
        List<FaceCandidate> unlisted = new java.util.ArrayList<>();
        List<OutboundRecord> out = runFaces(new ColourLayoutEmbedder(), unlisted, java.util.Set.of("door"));
        assertThat(unlisted).isEmpty();
        assertThat(out).extracting(r -> r.topic).containsExactly(TOPICS.masks(), TOPICS.masks());
    }

    @Test
    void detectedFacesAreEmbeddedAndTrackedAcrossFrames() throws Exception {
        List<FaceCandidate> candidates = new java.util.ArrayList<>();
        List<OutboundRecord> out = runFaces(new ColourLayoutEmbedder(), candidates);
        assertThat(out).extracting(r -> r.topic).containsExactly(TOPICS.masks(), TOPICS.masks());
        assertThat(candidates).isNotEmpty();
        assertThat(candidates).allSatisfy(c -> assertThat(c.embedderId).isEqualTo(ColourLayoutEmbedder.ID));
        var first = candidates.stream().filter(c -> c.frameSeq == 0).toList();
        var second = candidates.stream().filter(c -> c.frameSeq == 1).toList();
        assertThat(second).hasSameSizeAs(first);
        assertThat(second).extracting(c -> c.trackId).containsExactlyElementsOf(first.stream().map(c -> c.trackId).toList());
    }

    @Test
    void aFailingFaceStepIsADeadLetterAndTheFrameKeepsItsMasks() throws Exception {
        FaceEmbedder broken = new FaceEmbedder() {
            @Override
            public String id() {
                return "broken";
            }

            @Override
            public float[] embedAligned(float[] crop) {
                throw new IllegalStateException("embedder out of order");
            }
        };
        List<OutboundRecord> out = runFaces(broken, new java.util.ArrayList<>());
        assertThat(out).extracting(r -> r.topic)
                .containsExactly(TOPICS.masks(), TOPICS.deadLetters(), TOPICS.masks(), TOPICS.deadLetters());
        DeadLetter letter = AvroRecords.decode(out.get(1).value, DeadLetter.class);
        assertThat(letter.getErrorType()).isEqualTo("FACE_ANALYSIS_FAILED");
        assertThat(letter.getReason()).contains("embedder out of order");
        assertThat(letter.getPosition()).isEqualTo(0L);
    }

    @Test
    void aDeadLetterPayloadOverTheRecordBudgetIsLeftOutWithTheReason() {
        CameraRecord huge = new CameraRecord();
        huge.kind = CameraRecord.Kind.DEAD_LETTER;
        huge.cameraId = "door";
        huge.sourceTopic = "frames";
        huge.position = 7;
        huge.reason = "corrupt JPEG";
        huge.errorType = CameraRecord.ErrorType.CORRUPT_FRAME;
        huge.payload = new byte[AvroMapping.MAX_DEAD_LETTER_PAYLOAD + 1];
        DeadLetter big = AvroMapping.deadLetter(huge);
        assertThat(big.getPayload()).isNull();
        assertThat(big.getReason()).contains("not kept").contains("corrupt JPEG");
        assertThat(AvroRecords.encode(big).length).isLessThan(1 << 20);

        huge.payload = new byte[AvroMapping.MAX_DEAD_LETTER_PAYLOAD];
        assertThat(AvroMapping.deadLetter(huge).getPayload().remaining()).isEqualTo(AvroMapping.MAX_DEAD_LETTER_PAYLOAD);
    }
}
