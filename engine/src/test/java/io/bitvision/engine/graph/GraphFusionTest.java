package io.bitvision.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.kernel.ConvGeometry;
import io.bitvision.engine.kernel.KernelStrategy;
import io.bitvision.engine.kernel.Kernels;
import io.bitvision.engine.kernel.OutputTransform;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.reference.RefTensor;
import io.bitvision.engine.reference.ReferenceOps;
import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.TensorSpec;
import io.bitvision.engine.testing.Checks;
import io.bitvision.engine.testing.Randoms;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Residual-block ends fused into {@link ConvAddQuantizeOp}: random blocks of every form (two convolutions, a
 * convolution plus an int32 residual, plus an upsampled one; binary and k-bit quantisers, ascending and
 * descending thresholds) against the reference on the stored graph, with every kernel family; a tensor that is
 * also a graph output is never folded away.
 */
class GraphFusionTest {

    @Test
    void fusedResidualBlocksMatchTheReferenceBitForBit() {
        SplittableRandom seeds = new SplittableRandom(13);
        int[] forms = new int[3];
        for (int i = 0; i < 200; i++) {
            long seed = seeds.nextLong();
            SplittableRandom rnd = new SplittableRandom(seed);
            int form = rnd.nextInt(3);
            boolean shared = rnd.nextInt(4) == 0;
            Model model = residualBlock(rnd, form, shared);
            if (!shared || form == 0) {
                // Shared forms 1 and 2 cannot fuse: their one convolution at full size is a graph output.
                assertThat(types(model.executionGraph())).as("seed %d form %d", seed, form)
                        .contains(OpType.CONV_ADD_QUANTIZE).doesNotContain(OpType.ADD, OpType.QUANTIZE);
            }
            forms[form]++;
            for (KernelStrategy strategy : Kernels.runnable()) {
                InferenceEngine engine = InferenceEngine.builder(model).kernels(strategy).build();
                for (int run = 0; run < 2; run++) {
                    Randoms.fill(new SplittableRandom(seed + run), engine.input());
                    RefTensor[] expected = ReferenceOps.run(model, RefTensor.of(engine.input()));
                    engine.run();
                    for (int k = 0; k < model.graph().outputs().length; k++) {
                        int out = model.graph().outputs()[k];
                        RefTensor actual = RefTensor.of(engine.output(k));
                        assertThat(actual.sameAs(expected[out]))
                                .as("seed %d form %d %s run %d output %d: %s", seed, form, strategy, run, k,
                                        actual.firstDifference(expected[out]))
                                .isTrue();
                        assertThat(Checks.dirtyPadding(engine.output(k))).isNull();
                    }
                }
            }
        }
        assertThat(java.util.Arrays.stream(forms).min().orElse(0)).as("blocks of the rarest form").isGreaterThan(40);
    }

    @Test
    void aConvolutionWhoseOutputIsAlsoAGraphOutputStaysInTheGraph() {
        for (int form = 0; form < 3; form++) {
            Model model = residualBlock(new SplittableRandom(5), form, true);
            int mainConvs = 0;
            for (Node node : model.executionGraph().nodes()) {
                mainConvs += node.op() instanceof ConvOp conv && conv.transform() instanceof OutputTransform.IntBias ? 1 : 0;
            }
            assertThat(mainConvs).as("form %d: int32 convolutions left to run on their own", form).isPositive();
        }
    }

    @Test
    void fusionShrinksTheArenaAndWithoutFusionRunsTheStoredGraph() {
        Model model = residualBlock(new SplittableRandom(3), 0, false);
        assertThat(model.executionGraph().nodes()).hasSizeLessThan(model.graph().nodes().size());
        assertThat(model.plan().intPoolInts()).isZero();
        Model plain = model.withoutFusion();
        assertThat(plain.executionGraph()).isSameAs(model.graph());
        assertThat(plain.plan().intPoolInts()).isPositive();
    }

    private static List<OpType> types(Graph graph) {
        return graph.nodes().stream().map(n -> n.op().type()).toList();
    }

    /**
     * input x (bits) -> [a conv] ... -> quantize(add(conv(x), second)); second by form: 0 conv(x'), 1 an int32
     * tensor (a conv of x, summed through a 1x1 pool so that it is not a convolution's output), 2 upsample(int32 conv
     * at half size). With {@code shared}, the main convolution's output is also a graph output.
     */
    private static Model residualBlock(SplittableRandom rnd, int form, boolean shared) {
        int bits = 1 + rnd.nextInt(4);
        int channels = 1 + rnd.nextInt(80);
        int height = 2 * (2 + rnd.nextInt(6));
        int width = 2 * (1 + rnd.nextInt(20));
        TensorSpec input = TensorSpec.bits(bits, channels, height, width);
        List<Node> nodes = new ArrayList<>();
        List<TensorSpec> specs = new ArrayList<>(List.of(input));
        int outC = 1 + rnd.nextInt(70);
        int k = 1 + 2 * rnd.nextInt(2);
        ConvGeometry g = ConvGeometry.simple(channels, outC, k, 1, k / 2);
        int main = add(nodes, specs, intConv(rnd, bits, g), 0);
        int second;
        switch (form) {
            case 0 -> second = add(nodes, specs, intConv(rnd, bits, ConvGeometry.simple(channels, outC, 1, 1, 0)), 0);
            case 1 -> {
                int residual = add(nodes, specs, intConv(rnd, bits, g), 0);
                second = add(nodes, specs, new PoolOp(PoolOp.Kind.SUM, 1, 1, 0), residual);
            }
            default -> {
                int half = add(nodes, specs, intConv(rnd, bits, new ConvGeometry(channels, outC, 1, 1, 2, 2, 0, 0, 1, 1, 1)), 0);
                second = add(nodes, specs, new UpsampleOp(2), half);
            }
        }
        int sum = add(nodes, specs, new AddOp(), rnd.nextBoolean() ? new int[] {main, second} : new int[] {second, main});
        OutputTransform quantizer = Randoms.thresholds(rnd, outC, Randoms.dotRange(g, bits) * 2, rnd.nextBoolean() ? 1 : 2 + rnd.nextInt(3));
        int out = add(nodes, specs, new QuantizeOp(quantizer), sum);
        int[] outputs = shared ? new int[] {out, main} : new int[] {out};
        List<String> names = shared ? List.of("out", "also") : List.of("out");
        assertThat(specs.get(sum).type()).isEqualTo(DataType.INT32);
        return new Model("block", "1", new Graph(input, nodes, outputs, names));
    }

    private static ConvOp intConv(SplittableRandom rnd, int bits, ConvGeometry g) {
        int[] bias = new int[g.outChannels()];
        int range = (int) Randoms.dotRange(g, bits);
        for (int o = 0; o < bias.length; o++) {
            bias[o] = rnd.nextInt(-range, range + 1);
        }
        return Randoms.conv(rnd, bits, g, new OutputTransform.IntBias(bias));
    }

    private static int add(List<Node> nodes, List<TensorSpec> specs, Op op, int... inputs) {
        TensorSpec[] in = new TensorSpec[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            in[k] = specs.get(inputs[k]);
        }
        nodes.add(new Node(op, inputs));
        specs.add(op.outputSpec(in));
        return specs.size() - 1;
    }
}
