package io.bitvision.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitvision.engine.ArenaBoundExceededException;
import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.kernel.ConvGeometry;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.testing.RandomGraphs;
import io.bitvision.engine.testing.Randoms;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MemoryPlanTest {

    /** input -> a -> b -> c, plus a skip from a to the concat at the end. */
    private static Model chainWithSkip(int channels, int size) {
        SplittableRandom rnd = new SplittableRandom(1);
        TensorSpec input = TensorSpec.bits(1, channels, size, size);
        ConvGeometry g = ConvGeometry.simple(channels, channels, 3, 1, 1);
        List<Node> nodes = List.of(
                new Node(Randoms.conv(rnd, 1, g, Randoms.thresholds(rnd, channels, 10, 1)), new int[] {0}),
                new Node(Randoms.conv(rnd, 1, g, Randoms.thresholds(rnd, channels, 10, 1)), new int[] {1}),
                new Node(Randoms.conv(rnd, 1, g, Randoms.thresholds(rnd, channels, 10, 1)), new int[] {2}),
                new Node(new ConcatOp(), new int[] {3, 1}));
        return new Model("skip", "1", new Graph(input, nodes, new int[] {4}, List.of("out")));
    }

    @Test
    void skipConnectionBytesAreTheTensorHeldAcrossLayers() {
        Model model = chainWithSkip(64, 10);
        MemoryPlan plan = model.plan();
        // Tensor 1 (output of node 0, read by node 1 and node 3) is held while node 2 runs.
        long skipTensorBytes = BitTensor.storageWords(model.graph().spec(1), plan.haloY(1), plan.haloX(1)) * 8;
        assertThat(plan.skipBytes()).isEqualTo(skipTensorBytes);
        assertThat(plan.haloY(1)).isEqualTo(1);
        assertThat(plan.haloY(3)).isZero();
    }

    @Test
    void chainWithoutSkipsHoldsNothingAndReusesStorage() {
        SplittableRandom rnd = new SplittableRandom(2);
        TensorSpec input = TensorSpec.bits(1, 64, 8, 8);
        ConvGeometry g = ConvGeometry.simple(64, 64, 1, 1, 0);
        List<Node> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            nodes.add(new Node(Randoms.conv(rnd, 1, g, Randoms.thresholds(rnd, 64, 5, 1)), new int[] {i}));
        }
        MemoryPlan plan = new Model("chain", "1", new Graph(input, nodes, new int[] {6}, List.of("out"))).plan();
        assertThat(plan.skipBytes()).isZero();
        // Two tensors alive at once (the reader and the writer), however long the chain.
        assertThat(plan.bitPoolWords()).isEqualTo(2 * 64);
        assertThat(plan.peakActivationBytes()).isEqualTo(2 * 64 * 8);
    }

    @Test
    void tensorsAliveTogetherNeverShareStorage() {
        SplittableRandom seeds = new SplittableRandom(3);
        for (int i = 0; i < 300; i++) {
            Model model = RandomGraphs.random(new SplittableRandom(seeds.nextLong()), 12);
            Graph graph = model.executionGraph();
            MemoryPlan plan = model.plan();
            int n = graph.tensorCount();
            int[] start = new int[n];
            int[] end = new int[n];
            for (int t = 0; t < n; t++) {
                start[t] = t - 1;
                end[t] = t - 1;
            }
            for (int s = 0; s < graph.nodes().size(); s++) {
                for (int id : graph.nodes().get(s).inputs()) {
                    end[id] = Math.max(end[id], s);
                }
            }
            for (int id : graph.outputs()) {
                end[id] = graph.nodes().size();
            }
            for (int a = 0; a < n; a++) {
                for (int b = a + 1; b < n; b++) {
                    boolean samePool = graph.spec(a).type() == graph.spec(b).type();
                    boolean together = start[a] <= end[b] && start[b] <= end[a];
                    boolean overlap = plan.offset(a) < plan.offset(b) + plan.elements(b)
                            && plan.offset(b) < plan.offset(a) + plan.elements(a);
                    assertThat(samePool && together && overlap).as("tensors %d and %d share storage", a, b).isFalse();
                }
            }
        }
    }

    @Test
    void engineRefusesAModelOverItsBoundNamingBothNumbers() {
        Model model = chainWithSkip(128, 40);
        long needed = model.plan().arenaBytes();
        assertThatThrownBy(() -> InferenceEngine.builder(model).maxArenaBytes(needed - 1).build())
                .isInstanceOf(ArenaBoundExceededException.class)
                .hasMessageContaining(Long.toString(needed))
                .hasMessageContaining(Long.toString(needed - 1));
        assertThat(InferenceEngine.builder(model).maxArenaBytes(needed).build().arenaBytes()).isEqualTo(needed);
    }
}
