package io.bitvision.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.engine.ImagePacker;
import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.kernel.KernelStrategy;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.reference.RefTensor;
import io.bitvision.engine.reference.ReferenceOps;
import io.bitvision.engine.testing.Checks;
import io.bitvision.engine.testing.RandomGraphs;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.TensorSpec;
import io.bitvision.engine.testing.Randoms;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Whole random graphs (every operator, skips, shared inputs, arena reuse) against the reference, with both
 * kernel strategies, run twice on one engine so stale arena contents would show.
 */
class RandomGraphTest {

    @Test
    void randomGraphsMatchReference() {
        SplittableRandom seeds = new SplittableRandom(7);
        Map<OpType, Integer> seen = new EnumMap<>(OpType.class);
        int reused = 0;
        int stems = 0;
        for (int i = 0; i < 400; i++) {
            long seed = seeds.nextLong();
            SplittableRandom rnd = new SplittableRandom(seed);
            Model model = RandomGraphs.random(rnd, 2 + rnd.nextInt(10));
            for (Node node : model.graph().nodes()) {
                seen.merge(node.op().type(), 1, Integer::sum);
            }
            if (model.plan().bitPoolWords() < totalBitWords(model)) {
                reused++;
            }
            for (KernelStrategy strategy : io.bitvision.engine.kernel.Kernels.runnable()) {
                InferenceEngine engine = InferenceEngine.builder(model).kernels(strategy).build();
                for (int run = 0; run < 2; run++) {
                    long inputSeed = seed + run;
                    RefTensor input;
                    if (model.imageStem() != null) {
                        // The stem is fused: the engine takes pixels; the reference runs the stored graph on them.
                        TensorSpec image = model.graph().input();
                        byte[] pixels = new byte[image.channels() * image.height() * image.width()];
                        new SplittableRandom(inputSeed).nextBytes(pixels);
                        BitTensor packed = BitTensor.allocate(image, 0, 0);
                        ImagePacker.pack(pixels, packed);
                        input = RefTensor.of(packed);
                        engine.packImage(pixels);
                        stems++;
                    } else {
                        Randoms.fill(new SplittableRandom(inputSeed), engine.input());
                        input = RefTensor.of(engine.input());
                    }
                    RefTensor[] expected = ReferenceOps.run(model, input);
                    engine.run();
                    int[] outputs = model.graph().outputs();
                    for (int k = 0; k < outputs.length; k++) {
                        RefTensor actual = RefTensor.of(engine.output(k));
                        assertThat(actual.sameAs(expected[outputs[k]]))
                                .as("graph seed %d, %s, run %d, output %d: %s", seed, strategy, run, k,
                                        actual.firstDifference(expected[outputs[k]]))
                                .isTrue();
                        assertThat(Checks.dirtyPadding(engine.output(k))).as("graph seed %d output %d", seed, k).isNull();
                    }
                }
            }
        }
        assertThat(seen.keySet()).as("operators covered (fused ones have their own test)")
                .containsAll(java.util.EnumSet.complementOf(java.util.EnumSet.of(OpType.CONV_ADD_QUANTIZE)));
        assertThat(reused).as("graphs whose plan reuses bit storage").isGreaterThan(60);
        assertThat(stems).as("runs of graphs whose image stem is fused").isGreaterThan(10);
    }

    private static long totalBitWords(Model model) {
        long total = 0;
        for (int t = 0; t < model.executionGraph().tensorCount(); t++) {
            if (model.executionGraph().spec(t).type() == io.bitvision.engine.tensor.DataType.BITS) {
                total += model.plan().elements(t);
            }
        }
        return total;
    }
}
