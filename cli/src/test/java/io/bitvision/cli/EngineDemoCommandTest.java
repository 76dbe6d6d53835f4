package io.bitvision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code engine-demo --model}: a shipped model's per-node profile, efficiency and zero allocation, as JSON. */
class EngineDemoCommandTest {
    private static final Path EMBEDDER = Path.of("..", "models", "face-embedder-v1.bvm");

    @TempDir
    Path dir;

    @Test
    void profilesAModelFileNodeByNodeWithItsEfficiency() throws Exception {
        Path report = dir.resolve("demo.json");
        CliRun run = CliRun.of("engine-demo", "--model", EMBEDDER.toString(), "--frames", "5", "--out", report.toString());

        assertThat(run.status()).as(run.err()).isZero();
        Model model = ModelReader.read(EMBEDDER);
        JsonNode json = new ObjectMapper().readTree(Files.readString(report));
        assertThat(json.get("name").asText()).isEqualTo(model.name());
        assertThat(json.get("nodes_run")).hasSize(model.executionGraph().nodes().size());
        assertThat(json.get("plane_macs").asLong()).isEqualTo(model.executionGraph().planeMacs())
                .isGreaterThan(model.graph().bitwiseMacs());
        assertThat(json.get("ms_by_operator").has("image pack")).isTrue();
        assertThat(json.get("ms_by_operator").has("CONV_ADD_QUANTIZE")).isTrue();
        double efficiency = json.get("efficiency").asDouble();
        assertThat(efficiency).isPositive().isLessThan(2.0);
        assertThat(json.get("alloc_bytes_per_frame").asDouble()).isZero();
        assertThat(json.get("arena_bytes").asLong()).isEqualTo(model.plan().arenaBytes());
        assertThat(run.out()).contains("efficiency", "time per operator kind", "CONV_ADD_QUANTIZE");
        JsonNode threads = json.get("inference_threads");
        assertThat(threads.get("1").get("median_ms_per_frame").asDouble()).isPositive();
        assertThat(threads.get("2").get("median_ms_per_frame").asDouble()).isPositive();
        assertThat(json.get("speedup_2_threads").asDouble()).isCloseTo(
                threads.get("1").get("median_ms_per_frame").asDouble() / threads.get("2").get("median_ms_per_frame").asDouble(),
                org.assertj.core.data.Percentage.withPercentage(0.01));
        assertThat(run.out()).contains("rows split across 2 threads");
    }
}
