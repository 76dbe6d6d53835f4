package io.bitvision.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/** demo takes the given model, else the shipped one; without either it refuses, unless the stand-in is asked for. */
class ModelChoiceTest {
    @TempDir
    Path dir;

    @Test
    void aGivenModelIsLoadedAndNamesItsInstancesFromItsMetadata() throws Exception {
        Path file = dir.resolve("si.bvm");
        Files.write(file, ModelWriter.toBytes(DarkRegionsModel.buildSparseInst(48, 64, 70)));
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        ModelChoice.PipelineModel chosen = ModelChoice.forPipeline(new PersonModelOptions(file, dir, false),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(chosen.standIn()).isFalse();
        assertThat(chosen.className()).isEqualTo("person");
        assertThat(chosen.description()).contains(DarkRegionsModel.SPARSE_INST_NAME).contains(file.toString());
        assertThat(ModelReader.fromBytes(chosen.ref().bytes()).name()).isEqualTo(DarkRegionsModel.SPARSE_INST_NAME);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void theShippedModelInTheModelsDirectoryIsTheDefault() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.copy(Path.of("..", "models", "person-v1.bvm"), models.resolve("person-v1.bvm"));

        ModelChoice.PipelineModel chosen = ModelChoice.forPipeline(new PersonModelOptions(null, models, true), System.err);

        assertThat(chosen.standIn()).as("the stand-in only when there is no model").isFalse();
        assertThat(chosen.description()).contains(models.resolve("person-v1.bvm").toString());
    }

    @Test
    void aGivenModelThatIsMissingIsAnErrorNotAFallback() {
        assertThatThrownBy(() -> ModelChoice.forPipeline(new PersonModelOptions(dir.resolve("gone.bvm"), dir, true),
                System.err)).isInstanceOf(MissingModelException.class).hasMessageContaining("gone.bvm");
    }

    @Test
    void withoutAModelItRefusesNamingThePathTriedAndTheWayOut() {
        assertThatThrownBy(() -> ModelChoice.forPipeline(new PersonModelOptions(null, dir, false), System.err))
                .isInstanceOf(MissingModelException.class)
                .hasMessageContaining(dir.resolve("person-v1.bvm").toAbsolutePath().toString())
                .hasMessageContaining("--model").hasMessageContaining("--stand-in-model");
    }

    @Test
    void theStandInRunsOnlyWhenAskedForAndSaysSo() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        ModelChoice.PipelineModel chosen = ModelChoice.forPipeline(new PersonModelOptions(null, dir, true),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(chosen.standIn()).isTrue();
        assertThat(ModelReader.fromBytes(chosen.ref().bytes()).name()).isEqualTo(DarkRegionsModel.NAME);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("warning").contains("not people");
    }
}
