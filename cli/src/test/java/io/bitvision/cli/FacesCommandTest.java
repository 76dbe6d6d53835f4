package io.bitvision.cli;

import static io.bitvision.cli.FaceFixtures.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.operators.faces.FaceEmbedder;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faces} on one image. The tests marked "shipped models" run models/face-detector-v2.bvm and
 * models/face-embedder-v1.bvm on Megamind.avi frames and fail without them.
 */
class FacesCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static double area(JsonNode face) {
        return face.get("bbox").get(2).asDouble() * face.get("bbox").get(3).asDouble();
    }

    /** Shipped models. */
    @Test
    void anEnrolledFaceMatchesItselfWithSimilarityOneInTheDocumentedJson() throws Exception {
        Path frame = FaceFixtures.megamind(dir, 154).get(154);
        Path watchlist = dir.resolve("watchlist.json");
        CliRun enroll = CliRun.of("enroll", concat(FaceFixtures.models(), "--id", "roxanne", "--image",
                frame.toString(), "--watchlist", watchlist.toString()));
        assertThat(enroll.status()).as(enroll.err()).isZero();
        Path out = dir.resolve("out/result.json");

        CliRun run = CliRun.of("faces", concat(FaceFixtures.models(), "--image", frame.toString(),
                "--watchlist", watchlist.toString(), "--threshold", "0.5", "--out", out.toString()));

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode json = JSON.readTree(Files.readString(out));
        FaceEmbedder embedder = FaceModels.embedder(FaceFixtures.EMBEDDER);
        assertThat(fields(json)).containsExactly("image", "detector", "model_id", "threshold", "faces");
        assertThat(json.get("model_id").asText()).isEqualTo(embedder.id());
        assertThat(json.get("detector").asText()).startsWith("bvm:");
        assertThat(json.get("threshold").asDouble()).isEqualTo(0.5);
        assertThat(json.get("faces")).isNotEmpty();
        JsonNode largest = null;
        for (JsonNode face : json.get("faces")) {
            assertThat(fields(face)).containsExactly("bbox", "score", "landmarks", "identity", "similarity");
            assertThat(face.get("bbox")).hasSize(4);
            assertThat(face.get("score").asDouble()).isBetween(0.0, 1.0);
            assertThat(face.get("landmarks")).hasSize(5);
            for (JsonNode point : face.get("landmarks")) {
                assertThat(point).hasSize(2);
                assertThat(point.get(0).isNumber() && point.get(1).isNumber()).isTrue();
            }
            assertThat(face.get("similarity").isNumber()).as("a watchlist entry of this model: a similarity").isTrue();
            if (largest == null || area(face) > area(largest)) {
                largest = face;
            }
        }
        // The face enroll took (the largest) is the same face, embedded the same way: cosine 1.
        assertThat(largest.get("identity").asText()).isEqualTo("roxanne");
        assertThat(largest.get("similarity").asDouble()).isCloseTo(1.0, within(1e-5));
        // Roxanne alone in frame 154: teacher box 216, 166, 168 x 152.
        assertThat(largest.get("bbox").get(0).asDouble()).isCloseTo(216, within(30.0));
        assertThat(run.out()).contains("roxanne 1.000").contains(out.toString());

        Path overlay = dir.resolve("out/result.png");
        BufferedImage drawn = ImageIO.read(overlay.toFile());
        assertThat(drawn.getWidth()).isEqualTo(720);
        assertThat(drawn.getHeight()).isEqualTo(528);
    }

    /** Shipped models. */
    @Test
    void anEmptyWatchlistMatchesNobodyAndHasNoSimilarity() throws Exception {
        Path frame = FaceFixtures.megamind(dir, 154).get(154);
        Path empty = dir.resolve("empty.json");
        WatchlistFile.write(empty, List.of());
        Path out = dir.resolve("result.json");

        CliRun run = CliRun.of("faces", concat(FaceFixtures.models(), "--image", frame.toString(),
                "--watchlist", empty.toString(), "--threshold", "0.3", "--out", out.toString(), "--overlay",
                dir.resolve("drawn.png").toString()));

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode json = JSON.readTree(Files.readString(out));
        assertThat(json.get("faces")).isNotEmpty();
        for (JsonNode face : json.get("faces")) {
            assertThat(face.get("identity").isNull()).isTrue();
            assertThat(face.get("similarity").isNull()).isTrue();
        }
        assertThat(dir.resolve("drawn.png")).isRegularFile();
        assertThat(dir.resolve("result.png")).doesNotExist();
    }

    /** Shipped models: --threshold, else the model's match.threshold, else a watchlist cannot be matched. */
    @Test
    void theThresholdComesFromTheOptionElseTheModelElseMatchingIsRefused() throws Exception {
        Path frame = FaceFixtures.megamind(dir, 154).get(154);
        FaceFixtures.models();
        Model shipped = ModelReader.read(FaceFixtures.EMBEDDER);
        Map<String, String> without = new LinkedHashMap<>(shipped.metadata());
        without.remove(FaceEmbedder.THRESHOLD_KEY);
        Path uncalibrated = dir.resolve("uncalibrated.bvm");
        Files.write(uncalibrated, ModelWriter.toBytes(new Model(shipped.name(), shipped.version(), shipped.graph(), without)));
        Map<String, String> with = new LinkedHashMap<>(without);
        with.put(FaceEmbedder.THRESHOLD_KEY, "0.4375");
        Path calibrated = dir.resolve("calibrated.bvm");
        Files.write(calibrated, ModelWriter.toBytes(new Model(shipped.name(), shipped.version(), shipped.graph(), with)));
        Path watchlist = dir.resolve("w.json");
        WatchlistFile.write(watchlist, List.of());
        Path out = dir.resolve("r.json");
        String[] base = {"--image", frame.toString(), "--face-detector", FaceFixtures.DETECTOR.toString(),
                "--out", out.toString()};

        CliRun refused = CliRun.of("faces", concat(base, "--face-model", uncalibrated.toString(),
                "--watchlist", watchlist.toString()));
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("has no calibrated threshold").contains("--threshold T")
                .contains("calibrate");

        CliRun noWatchlist = CliRun.of("faces", concat(base, "--face-model", uncalibrated.toString()));
        assertThat(noWatchlist.status()).as(noWatchlist.err()).isZero();
        assertThat(JSON.readTree(Files.readString(out)).get("threshold").isNull()).as("nothing to match").isTrue();

        CliRun fromModel = CliRun.of("faces", concat(base, "--face-model", calibrated.toString(),
                "--watchlist", watchlist.toString()));
        assertThat(fromModel.status()).as(fromModel.err()).isZero();
        assertThat(JSON.readTree(Files.readString(out)).get("threshold").asDouble()).isEqualTo(0.4375);

        CliRun fromOption = CliRun.of("faces", concat(base, "--face-model", calibrated.toString(),
                "--watchlist", watchlist.toString(), "--threshold", "0.625"));
        assertThat(fromOption.status()).as(fromOption.err()).isZero();
        assertThat(JSON.readTree(Files.readString(out)).get("threshold").asDouble()).isEqualTo(0.625);
    }

    @Test
    void badArgumentsAreUsageErrors() throws Exception {
        Map<String[], String> cases = Map.of(
                new String[] {"--image", "a.png"}, "Missing required option: '--out=RESULT.json'",
                new String[] {"--image", "a.png", "--out", "r.json", "--threshold", "1.5"}, "between -1 and 1",
                new String[] {"--image", "a.png", "--out", "r.json", "--threshold", "high"}, "Invalid value for option '--threshold'",
                new String[] {"--image", "a.png", "--out", "r.json", "--colour"}, "Unknown option: '--colour'");
        for (Map.Entry<String[], String> c : cases.entrySet()) {
            CliRun run = CliRun.of("faces", c.getKey());
            assertThat(run.status()).as(String.join(" ", c.getKey())).isEqualTo(2);
            assertThat(run.err()).contains(c.getValue()).contains("Usage: bitvision faces");
        }
    }

    @Test
    void aMissingOrMalformedWatchlistAndMissingModelsAreClearErrors() throws Exception {
        Path image = FaceFixtures.blank(dir, "a.png");
        Path out = dir.resolve("r.json");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"format\": \"bitvision-watchlist-1\", \"entries\": [{\"identity_id\": 5}]}");

        CliRun malformed = CliRun.of("faces", "--image", image.toString(), "--out", out.toString(),
                "--watchlist", bad.toString());
        assertThat(malformed.status()).isEqualTo(1);
        assertThat(malformed.err()).contains("watchlist " + bad + ": entry 0: \"identity_id\" must be a string");

        CliRun missing = CliRun.of("faces", "--image", image.toString(), "--out", out.toString(),
                "--watchlist", dir.resolve("none.json").toString());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("none.json: no such file");

        CliRun defaults = CliRun.of("faces", "--image", image.toString(), "--out", out.toString());
        assertThat(defaults.status()).isEqualTo(1);
        assertThat(defaults.err()).contains("no face model: " + Path.of("models", "face-detector-v2.bvm").toAbsolutePath())
                .contains("--face-detector PATH");
        assertThat(out).doesNotExist();
    }
}
