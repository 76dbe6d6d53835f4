package io.bitvision.engine.person;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.kernel.KernelStrategy;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.engine.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The binary face embedder (training/bitvision_train/face/model.py, a first weakly trained export) on our engine:
 * every integer tensor equals PyTorch's deploy form bit for bit and the 128-d embedding agrees, on aligned crops
 * and a noise image (reference values from {@code python3 -m bitvision_train.face.fixtures}).
 */
class FaceModelExactnessTest {
    static final Path FIXTURES = Path.of("src", "test", "resources", "face-v1");

    @ParameterizedTest
    @EnumSource(value = KernelStrategy.class, names = {"SCALAR", "VECTOR", "VECTOR_BYTES"})
    void everyIntegerActivationAndTheEmbeddingEqualPyTorch(KernelStrategy strategy) throws Exception {
        Model model = ModelReader.read(FIXTURES.resolve("face.bvm"));
        assertThat(model.metadata()).containsEntry("task", "face-embedding");
        InferenceEngine engine = InferenceEngine.builder(PersonModelExactnessTest.withEveryTensorKept(model))
                .kernels(strategy).build();
        List<ReferenceCase> cases = ReferenceCase.parse(FIXTURES);
        assertThat(cases).hasSize(3);
        for (ReferenceCase c : cases) {
            engine.packImage(c.input());
            engine.run();
            assertThat(c.tensorDigests()).hasSizeGreaterThan(40);
            for (Map.Entry<Integer, String> expected : c.tensorDigests().entrySet()) {
                assertThat(PersonModelExactnessTest.digest(engine.tensor(expected.getKey())))
                        .as("%s: tensor %d (%s)", c.name(), expected.getKey(), engine.tensor(expected.getKey()).spec())
                        .isEqualTo(expected.getValue());
            }
            float[] expected = c.floats("embedding");
            FloatTensor actual = (FloatTensor) engine.output("embedding");
            assertThat(expected).hasSize(128);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual.data()[actual.index(i, 0, 0)])
                        .as("%s embedding[%d]", c.name(), i)
                        .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-3f * Math.max(1f, Math.abs(expected[i]))));
            }
        }
    }
}
