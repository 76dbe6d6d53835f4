package io.bitvision.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitvision.engine.model.MetadataKeys;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.operators.inference.DarkRegionsModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code model-info}: the report's keys and numbers, the file it writes with --out, and a missing model. */
class ModelInfoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void reportsPlainSkipBytesTheSavingAndTheMetadataAndWritesTheSameJsonToOut() throws Exception {
        Model plain = DarkRegionsModel.build(64, 96, 70);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(MetadataKeys.CLASSES, "dark");
        metadata.put(MetadataKeys.SKIP_PLAIN_TENSORS, "2");
        Model model = new Model(plain.name(), plain.version(), plain.graph(), metadata);
        Path file = dir.resolve("dark.bvm");
        Files.write(file, ModelWriter.toBytes(model));
        Path report = dir.resolve("reports/info.json");

        CliRun run = CliRun.of("model-info", file.toString(), "--out", report.toString());

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode json = JSON.readTree(run.out());
        assertThat(JSON.readTree(Files.readString(report))).isEqualTo(json);
        assertThat(json.fieldNames()).toIterable().contains("name", "version", "params", "file_bytes", "macs_bitwise",
                "macs_other", "peak_activation_bytes", "skip_bytes", "skip_bytes_plain", "skip_saving", "arena_bytes",
                "metadata");
        assertThat(json.get("file_bytes").asLong()).isEqualTo(Files.size(file));
        // Tensor 2 is the 16x24 one-channel foreground map, stored one 64-bit word per pixel.
        long plainBytes = BitTensor.storageWords(model.graph().spec(2), 0, 0) * Long.BYTES;
        assertThat(plainBytes).isEqualTo(16L * 24 * 8);
        assertThat(json.get("skip_bytes_plain").asLong()).isEqualTo(plainBytes);
        double expectedSaving = 1.0 - (double) model.plan().skipBytes() / plainBytes;
        assertThat(json.get("skip_saving").asDouble()).isCloseTo(expectedSaving, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(json.get("metadata").get(MetadataKeys.SKIP_PLAIN_TENSORS).asText()).isEqualTo("2");
        assertThat(json.get("metadata").get(MetadataKeys.CLASSES).asText()).isEqualTo("dark");
    }

    @Test
    void theShippedPersonModelKeepsOneBinarySkipMapAndIsAlmostAllBitwise() throws Exception {
        Path shipped = Path.of("..", "models", "person-v1.bvm");
        Model model = io.bitvision.engine.model.ModelReader.read(shipped);

        CliRun run = CliRun.of("model-info", shipped.toString());

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode json = JSON.readTree(run.out());
        int mapTensor = Integer.parseInt(model.metadata().get(MetadataKeys.SKIP_MAP_TENSOR));
        long mapBytes = BitTensor.storageWords(model.graph().spec(mapTensor), 0, 0) * Long.BYTES;
        assertThat(model.graph().spec(mapTensor).bits()).isEqualTo(1);
        assertThat(json.get("skip_bytes").asLong()).isEqualTo(mapBytes);
        long plain = 0;
        for (String id : model.metadata().get(MetadataKeys.SKIP_PLAIN_TENSORS).split(",")) {
            plain += BitTensor.storageWords(model.graph().spec(Integer.parseInt(id)), 0, 0) * Long.BYTES;
        }
        assertThat(json.get("skip_bytes_plain").asLong()).isEqualTo(plain);
        assertThat(json.get("skip_saving").asDouble()).isGreaterThan(0.933);
        assertThat(json.get("bitwise_mac_share").asDouble()).isGreaterThanOrEqualTo(0.95);
        assertThat(json.get("held_activation_bytes_max").asLong()).isEqualTo(model.plan().skipBytes());
    }

    @Test
    void aModelWithoutPlainSkipTensorsHasNoSavingToReport() throws Exception {
        Path file = dir.resolve("plain.bvm");
        Files.write(file, ModelWriter.toBytes(DarkRegionsModel.build(64, 96, 70)));

        CliRun run = CliRun.of("model-info", file.toString());

        JsonNode json = JSON.readTree(run.out());
        assertThat(json.get("skip_bytes_plain").asLong()).isZero();
        assertThat(json.has("skip_saving")).isFalse();
        assertThat(json.get("metadata").size()).isZero();
    }

    @Test
    void aMissingModelIsAnErrorThatNamesTheFile() throws Exception {
        CliRun run = CliRun.of("model-info", dir.resolve("nope.bvm").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("--model " + dir.resolve("nope.bvm") + ": no such file");
    }

    @Test
    void withoutAnArgumentItReportsTheDefaultModelOrSaysItIsMissing() throws Exception {
        // Tests run in cli/, where no models/ directory is committed.
        assumeThat(Path.of("models")).doesNotExist();

        CliRun run = CliRun.of("model-info");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("no person model: " + Path.of("models", "person-v1.bvm").toAbsolutePath())
                .contains("--model");
    }

    @Test
    void aDamagedModelIsAnErrorNotAStackTrace() throws Exception {
        Path file = dir.resolve("junk.bvm");
        Files.writeString(file, "not a model");

        CliRun run = CliRun.of("model-info", file.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("junk.bvm").contains("Exception");
    }
}
