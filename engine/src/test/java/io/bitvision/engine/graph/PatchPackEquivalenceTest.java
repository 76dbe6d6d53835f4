package io.bitvision.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.kernel.BinaryConvWeights;
import io.bitvision.engine.kernel.ConvGeometry;
import io.bitvision.engine.kernel.OutputTransform;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.reference.RefTensor;
import io.bitvision.engine.testing.Randoms;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A k x k strided convolution equals patch packing followed by a 1 x 1 convolution with the same weights. */
class PatchPackEquivalenceTest {

    @Test
    void patchPackThenPointwiseEqualsTheConvolution() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 300; i++) {
            int bits = rnd.nextBoolean() ? 1 : 2 + rnd.nextInt(7);
            int channels = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 70);
            int k = 1 + 2 * rnd.nextInt(3);
            int stride = 1 + rnd.nextInt(2);
            int pad = rnd.nextInt(k / 2 + 1);
            int outC = 1 + rnd.nextInt(40);
            TensorSpec input = TensorSpec.bits(bits, channels, k + rnd.nextInt(12), k + rnd.nextInt(40));
            ConvGeometry direct = new ConvGeometry(channels, outC, k, k, stride, stride, pad, pad, 1, 1, 1);
            ConvGeometry pointwise = ConvGeometry.simple(channels * k * k, outC, 1, 1, 0);
            long[] weights = Randoms.weights(rnd, direct);
            OutputTransform t = Randoms.transform(rnd, outC, Randoms.dotRange(direct, bits));
            Model a = Randoms.single(input, new ConvOp(bits, new BinaryConvWeights(direct, weights), t));
            Model b = new Model("packed", "1", new Graph(input, List.of(
                    new Node(new PatchPackOp(k, k, stride, stride, pad, pad, 1, 1), new int[] {0}),
                    new Node(new ConvOp(bits, new BinaryConvWeights(pointwise, weights), t), new int[] {1})),
                    new int[] {2}, List.of("out"))).withoutFusion(); // the patch pack runs as an operator
            InferenceEngine ea = InferenceEngine.builder(a).build();
            InferenceEngine eb = InferenceEngine.builder(b).build();
            long seed = rnd.nextLong();
            Randoms.fill(new SplittableRandom(seed), ea.input());
            Randoms.fill(new SplittableRandom(seed), eb.input());
            ea.run();
            eb.run();
            RefTensor expected = RefTensor.of(ea.output(0));
            RefTensor actual = RefTensor.of(eb.output(0));
            assertThat(actual.sameAs(expected)).as("case %d %s on %s: %s", i, direct, input, actual.firstDifference(expected)).isTrue();
        }
    }
}
