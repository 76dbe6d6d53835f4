package io.bitvision.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitvision.engine.graph.FloatConvOp;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.GlobalPoolOp;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.graph.PoolOp;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelStatsTest {

    /** Tensors: 0 u8[3x10x12] input, 1 u8[3x5x6] max pool, 2 int32[3x1x1] global pool, 3 float32[2x1x1]. */
    private static Model model(Map<String, String> metadata) {
        TensorSpec input = TensorSpec.bits(8, 3, 10, 12);
        List<Node> nodes = List.of(
                new Node(new PoolOp(PoolOp.Kind.MAX, 2, 2, 0), new int[] {0}),
                new Node(new GlobalPoolOp(), new int[] {1}),
                new Node(new FloatConvOp(3, 2, new float[6], new float[2]), new int[] {2}));
        return new Model("stats", "1", new Graph(input, nodes, new int[] {3}, List.of("out")), metadata);
    }

    @Test
    void plainSkipBytesSumsTheListedTensorsWithoutHalo() {
        // Bit tensors: planes x channel words x pixels x 8 bytes; int32 and float32: 4 bytes per element.
        long input = 8L * 1 * 10 * 12 * 8;
        long pooled = 8L * 1 * 5 * 6 * 8;
        long global = 3 * 4;
        long head = 2 * 4;
        assertThat(ModelStats.plainSkipBytes(model(Map.of(MetadataKeys.SKIP_PLAIN_TENSORS, "1"))))
                .isEqualTo(pooled);
        assertThat(ModelStats.plainSkipBytes(model(Map.of(MetadataKeys.SKIP_PLAIN_TENSORS, "0, 1,2 ,3"))))
                .isEqualTo(input + pooled + global + head);
    }

    @Test
    void plainSkipBytesIsZeroWithoutTheKey() {
        assertThat(ModelStats.plainSkipBytes(model(Map.of()))).isZero();
        assertThat(ModelStats.plainSkipBytes(model(Map.of(MetadataKeys.SKIP_PLAIN_TENSORS, "")))).isZero();
    }

    @Test
    void plainSkipBytesRefusesWhatIsNotATensor() {
        for (String list : new String[] {"4", "-1", "1,x", "1,,2", "1,1"}) {
            Model model = model(Map.of(MetadataKeys.SKIP_PLAIN_TENSORS, list));
            assertThatThrownBy(() -> ModelStats.plainSkipBytes(model)).as(list)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(MetadataKeys.SKIP_PLAIN_TENSORS).hasMessageContaining("stats");
        }
    }
}
