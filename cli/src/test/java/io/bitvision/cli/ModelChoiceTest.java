package io.bitvision.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.bitvision.engine.model.ModelReader;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.operators.inference.DarkRegionsModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** demo and run take the given model, else the default; only a missing default falls back, and says so. */
class ModelChoiceTest {
    @TempDir
    Path dir;

    @Test
    void aGivenModelIsLoadedAndNamesItsInstancesFromItsMetadata() throws Exception {
        Path file = dir.resolve("si.bvm");
        Files.write(file, ModelWriter.toBytes(DarkRegionsModel.buildSparseInst(48, 64, 70)));
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        ModelChoice.PipelineModel chosen = ModelChoice.forPipeline(file, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(chosen.standIn()).isFalse();
        assertThat(chosen.className()).isEqualTo("person");
        assertThat(chosen.description()).contains(DarkRegionsModel.SPARSE_INST_NAME).contains(file.toString());
        assertThat(ModelReader.fromBytes(chosen.ref().bytes()).name()).isEqualTo(DarkRegionsModel.SPARSE_INST_NAME);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aGivenModelThatIsMissingIsAnErrorNotAFallback() {
        assertThatThrownBy(() -> ModelChoice.forPipeline(dir.resolve("gone.bvm"), System.err))
                .isInstanceOf(MissingModelException.class).hasMessageContaining("gone.bvm");
    }

    @Test
    void aMissingDefaultFallsBackToTheStandInWithAWarning() throws Exception {
        assumeThat(Files.exists(ModelChoice.DEFAULT_MODEL)).isFalse(); // tests run in jobs/, which has no models/
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        ModelChoice.PipelineModel chosen = ModelChoice.forPipeline(null, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(chosen.standIn()).isTrue();
        assertThat(ModelReader.fromBytes(chosen.ref().bytes()).name()).isEqualTo(DarkRegionsModel.NAME);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("warning").contains("models/person-v1.bvm not found")
                .contains("not people");
    }
}
