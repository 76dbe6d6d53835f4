package io.bitvision.engine.person;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.graph.OpType;
import io.bitvision.engine.kernel.KernelStrategy;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.engine.reference.RefTensor;
import io.bitvision.engine.tensor.TensorSpec;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shipped models run fused (every residual block's end one operator, no int32 sums in the arena) give the
 * outputs of the stored graph run node by node, bit for bit, with every kernel family.
 */
class ShippedModelFusionTest {

    @ParameterizedTest
    @CsvSource({"person-v1.bvm, 14", "face-detector-v2.bvm, 9", "face-embedder-v1.bvm, 12"})
    void fusedOutputsEqualTheStoredGraphs(String file, int residualEnds) throws Exception {
        Model model = ModelReader.read(Path.of("..", "models", file));
        long fused = model.executionGraph().nodes().stream().filter(n -> n.op().type() == OpType.CONV_ADD_QUANTIZE).count();
        assertThat(fused).as("fused residual ends in " + file).isEqualTo(residualEnds);
        assertThat(model.executionGraph().nodes().stream().map(Node::op).map(op -> op.type()))
                .doesNotContain(OpType.ADD, OpType.QUANTIZE);
        assertThat(model.plan().arenaBytes()).isLessThan(model.withoutFusion().plan().arenaBytes());
        TensorSpec input = model.graph().input();
        byte[] pixels = new byte[input.channels() * input.height() * input.width()];
        for (KernelStrategy strategy : io.bitvision.engine.kernel.Kernels.runnable()) {
            InferenceEngine fusedEngine = InferenceEngine.builder(model).kernels(strategy).build();
            InferenceEngine storedEngine = InferenceEngine.builder(model.withoutFusion()).kernels(strategy).build();
            for (int image = 0; image < 3; image++) {
                new SplittableRandom(image).nextBytes(pixels);
                if (image == 2) {
                    java.util.Arrays.fill(pixels, 0, pixels.length / 2, (byte) 0);
                }
                fusedEngine.packImage(pixels);
                storedEngine.packImage(pixels);
                fusedEngine.run();
                storedEngine.run();
                for (int k = 0; k < model.graph().outputs().length; k++) {
                    RefTensor actual = RefTensor.of(fusedEngine.output(k));
                    RefTensor expected = RefTensor.of(storedEngine.output(k));
                    assertThat(actual.sameAs(expected))
                            .as("%s %s image %d output %s: %s", file, strategy, image, model.graph().outputNames().get(k),
                                    actual.firstDifference(expected))
                            .isTrue();
                }
            }
        }
    }
}
