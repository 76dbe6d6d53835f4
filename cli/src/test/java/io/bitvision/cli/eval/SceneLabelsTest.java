package io.bitvision.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SceneLabelsTest {
    @TempDir
    Path dir;

    private Path file(String json) throws Exception {
        return Files.writeString(dir.resolve("labels.json"), json);
    }

    @Test
    void theShippedSceneLabelsAreReadWithTheirFramesBoxesAndIgnoreRegions() throws Exception {
        SceneLabels vtest = SceneLabels.read(Path.of("../training/data/scenes/vtest-heldout.json"));
        assertThat(vtest.scene()).isEqualTo("vtest-heldout");
        assertThat(vtest.minHeightOrDefault()).isEqualTo(40);
        assertThat(vtest.frames()).hasSize(10);
        assertThat(vtest.frames().getFirst().boxes()).allSatisfy(b -> assertThat(b).hasSize(4));
        assertThat(vtest.frames().getFirst().ignore()).hasSize(1);
        try (var files = Files.list(Path.of("../training/data/scenes"))) {
            for (Path scene : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                assertThat(SceneLabels.read(scene).frames()).as(scene.toString()).isNotEmpty();
            }
        }
    }

    @Test
    void aBrokenFileIsRefusedWithItsNameAndWhatIsWrong() throws Exception {
        assertThatThrownBy(() -> SceneLabels.read(dir.resolve("absent.json")))
                .isInstanceOf(SceneLabels.InvalidLabelsException.class).hasMessageContaining("absent.json: no such file");
        assertThatThrownBy(() -> SceneLabels.read(file("{\"scene\": \"s\", \"frames\": [{\"frame\": 1, \"boxes\": [[1, 2, 3]]}]}")))
                .hasMessageContaining("labels.json, frame 1").hasMessageContaining("[x, y, w, h]");
        assertThatThrownBy(() -> SceneLabels.read(file("{\"scene\": \"s\", \"frames\": [{\"frame\": 1, \"boxes\": [[1, 2, 0, 3]]}]}")))
                .hasMessageContaining("w, h > 0");
        assertThatThrownBy(() -> SceneLabels.read(file(
                "{\"scene\": \"s\", \"frames\": [{\"frame\": 1, \"boxes\": []}, {\"frame\": 1, \"boxes\": []}]}")))
                .hasMessageContaining("frame 1 is negative or listed twice");
        assertThatThrownBy(() -> SceneLabels.read(file("{\"scene\": \"s\", \"frames\": [], \"colour\": 1}")))
                .isInstanceOf(SceneLabels.InvalidLabelsException.class).hasMessageContaining("colour");
        assertThatThrownBy(() -> SceneLabels.read(file("{\"frames\": [{\"frame\": 1, \"boxes\": []}]}")))
                .hasMessageContaining("scene");
        assertThatThrownBy(() -> SceneLabels.read(file(
                "{\"scene\": \"s\", \"frames\": [{\"frame\": 2, \"boxes\": [[1, 2, 3, 4]], \"ids\": [\"a\", \"b\"]}]}")))
                .hasMessageContaining("frame 2: ids must name each box once");
        assertThatThrownBy(() -> SceneLabels.read(file("{\"scene\": \"s\", \"frames\": []}")))
                .hasMessageContaining("at least one frame");
    }
}
