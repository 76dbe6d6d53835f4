package io.bitvision.cli;

import static io.bitvision.cli.FaceFixtures.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.operators.faces.EngineFaceEmbedder;
import io.bitvision.operators.faces.FaceEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code calibrate} on a tiny set: two identities of Megamind.avi, three frames each, and an image without a face.
 * The tests marked "shipped models" run models/face-detector-v2.bvm and models/face-embedder-v1.bvm and fail
 * without them; the threshold's definition is FarThresholdTest's.
 */
class CalibrateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path tinySet() throws Exception {
        Path set = dir.resolve("tiny");
        Map<Integer, Path> frames = FaceFixtures.megamind(dir.resolve("frames"), 98, 104, 110, 154, 158, 174);
        for (int frame : FaceFixtures.ROXANNE_ALONE) {
            Files.createDirectories(set.resolve("roxanne"));
            Files.copy(frames.get(frame), set.resolve("roxanne").resolve(frame + ".png"));
        }
        for (int frame : FaceFixtures.GLASSES_ALONE) {
            Files.createDirectories(set.resolve("glasses"));
            Files.copy(frames.get(frame), set.resolve("glasses").resolve(frame + ".png"));
        }
        FaceFixtures.blank(set.resolve("roxanne"), "wall.png");
        Files.writeString(set.resolve("roxanne").resolve("notes.txt"), "not an image");
        return set;
    }

    /** Shipped models. */
    @Test
    void countsPairsOfTwoIdentitiesAndSetsTheThresholdAboveEveryImpostorWhenTooFewForTheFar() throws Exception {
        Path set = tinySet();
        Path out = dir.resolve("calibration.json");

        CliRun run = CliRun.of("calibrate", concat(FaceFixtures.models(), "--images", set.toString(),
                "--out", out.toString()));

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode json = JSON.readTree(Files.readString(out));
        assertThat(json.get("images").asInt()).isEqualTo(7);
        assertThat(json.get("no_face").asInt()).isEqualTo(1);
        assertThat(json.get("no_face_images").get(0).asText()).isEqualTo("roxanne/wall.png");
        assertThat(json.get("faces").asInt()).as("every Megamind frame has its face found").isEqualTo(6);
        assertThat(json.get("identities").asInt()).isEqualTo(2);
        assertThat(json.get("genuine_pairs").asInt()).as("3 + 3 same-folder pairs").isEqualTo(6);
        assertThat(json.get("impostor_pairs").asInt()).as("3 x 3 cross-folder pairs").isEqualTo(9);
        assertThat(json.get("model_id").asText()).isEqualTo(FaceModels.embedder(FaceFixtures.EMBEDDER).id());
        assertThat(json.get("far_target").asDouble()).isEqualTo(0.01);
        // 9 impostor pairs: k = floor(0.01 * 9) = 0, the threshold is just above the highest impostor score.
        assertThat(json.get("threshold").asDouble())
                .isCloseTo(json.get("similarity").get("impostor_max").asDouble() + 1e-6, within(2e-6));
        assertThat(json.get("far").asDouble()).isZero();
        assertThat(json.get("resolvable").asBoolean()).isFalse();
        double tar = json.get("tar").asDouble();
        assertThat(json.get("accuracy").asDouble()).as("accuracy = (accepted genuine + rejected impostor) / pairs")
                .isCloseTo((tar * 6 + 9) / 15, within(1e-5));
        assertThat(json.get("at_far")).hasSize(3);
        assertThat(json.get("at_far").get(0).get("far_target").asDouble()).isEqualTo(0.1);
        assertThat(json.get("at_far").get(0).get("threshold").asDouble()).as("k = floor(0.9) = 0 as well")
                .isEqualTo(json.get("threshold").asDouble());
        assertThat(json.get("written_to_model").isNull()).isTrue();
        assertThat(run.out()).contains("2 identities, 7 images, 6 faces (no_face 1, unaligned 0): 6 genuine, 9 impostor pairs")
                .contains("threshold ").contains("FAR target").contains("wrote " + out);
    }

    /** Shipped models: the rewritten embedder has the calibration and nothing else changed. */
    @Test
    void writeThresholdStoresItInTheModelsMetadataAndLeavesTheRestAsItWas() throws Exception {
        Path set = tinySet();
        FaceFixtures.models();
        Path model = dir.resolve("embedder.bvm");
        Files.copy(FaceFixtures.EMBEDDER, model, StandardCopyOption.REPLACE_EXISTING);
        Model before = ModelReader.read(model);
        EngineFaceEmbedder original = new EngineFaceEmbedder(Files.readAllBytes(model));
        Path out = dir.resolve("c.json");

        CliRun run = CliRun.of("calibrate", "--images", set.toString(), "--face-detector",
                FaceFixtures.DETECTOR.toString(), "--face-model", model.toString(), "--out", out.toString(),
                "--write-threshold");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode json = JSON.readTree(Files.readString(out));
        Model after = ModelReader.read(model);
        double written = Double.parseDouble(after.metadata().get(FaceEmbedder.THRESHOLD_KEY));
        assertThat(written).isCloseTo(json.get("threshold").asDouble(), within(1e-6));
        assertThat(json.get("written_to_model").get(FaceEmbedder.THRESHOLD_KEY).asText()).isEqualTo(Double.toString(written));
        assertThat(after.metadata().get(CalibrateCommand.FAR_KEY)).isEqualTo("0.01");
        assertThat(after.metadata().get(CalibrateCommand.CALIBRATION_KEY)).startsWith("tiny: 2 identities, 7 images (1 no face), "
                + "6 genuine / 9 impostor pairs");
        Map<String, String> rest = new LinkedHashMap<>(after.metadata());
        Map<String, String> restBefore = new LinkedHashMap<>(before.metadata());
        for (String key : new String[] {FaceEmbedder.THRESHOLD_KEY, CalibrateCommand.FAR_KEY, CalibrateCommand.CALIBRATION_KEY}) {
            rest.remove(key);
            restBefore.remove(key);
        }
        assertThat(rest).isEqualTo(restBefore);
        assertThat(ModelWriter.toBytes(new Model(after.name(), after.version(), after.graph(), Map.of())))
                .as("name, version, graph and weights unchanged")
                .isEqualTo(ModelWriter.toBytes(new Model(before.name(), before.version(), before.graph(), Map.of())));
        EngineFaceEmbedder rewritten = new EngineFaceEmbedder(Files.readAllBytes(model));
        assertThat(rewritten.id()).isEqualTo(original.id());
        assertThat(rewritten.calibratedThreshold()).hasValue(written);
        float[] crop = new float[3 * 112 * 112];
        Random random = new Random(1);
        for (int i = 0; i < crop.length; i++) {
            crop[i] = random.nextInt(256);
        }
        assertThat(rewritten.embedAligned(crop)).isEqualTo(original.embedAligned(crop));
        assertThat(run.out()).contains("wrote " + FaceEmbedder.THRESHOLD_KEY + "=" + written).contains("unchanged");
        assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void badArgumentsAreUsageErrors() throws Exception {
        Map<String[], String> cases = Map.of(
                new String[] {"--far", "0.01"}, "Missing required option: '--images=DIR'",
                new String[] {"--images", "d", "--far", "0"}, "above 0 and below 1",
                new String[] {"--images", "d", "--far", "1%"}, "Invalid value for option '--far'",
                new String[] {"--images", "d", "--face-model", "sface.onnx", "--write-threshold"}, "is ONNX",
                new String[] {"--images", "d", "--pairs", "all"}, "Unknown options: '--pairs'");
        for (Map.Entry<String[], String> c : cases.entrySet()) {
            CliRun run = CliRun.of("calibrate", c.getKey());
            assertThat(run.status()).as(String.join(" ", c.getKey())).isEqualTo(2);
            assertThat(run.err()).contains(c.getValue()).contains("Usage: bitvision calibrate");
        }
    }

    @Test
    void aSetWithoutIdentityFoldersIsAClearError() throws Exception {
        CliRun none = CliRun.of("calibrate", "--images", dir.resolve("none").toString());
        assertThat(none.status()).isEqualTo(1);
        assertThat(none.err()).contains("not a directory");

        FaceFixtures.blank(dir, "loose.png");
        Files.createDirectories(dir.resolve("empty-identity"));
        CliRun flat = CliRun.of("calibrate", "--images", dir.toString());
        assertThat(flat.status()).isEqualTo(1);
        assertThat(flat.err()).contains("1 images directly in").contains("no identity folders with PNG or JPEG images");
    }
}
