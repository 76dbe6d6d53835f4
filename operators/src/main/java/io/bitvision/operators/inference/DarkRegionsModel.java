package io.bitvision.operators.inference;

import io.bitvision.engine.graph.ConvOp;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.graph.PatchPackOp;
import io.bitvision.engine.kernel.BinaryConvWeights;
import io.bitvision.engine.kernel.ConvGeometry;
import io.bitvision.engine.kernel.OutputTransform;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.List;

/**
 * A hand-built stand-in model for exercising the pipeline until the trained person model ships: it marks
 * 4x4 blocks whose mean brightness is below a threshold (pedestrians on vtest's light floor are mostly dark).
 * Two real engine layers (bit-serial patch conv, threshold); no learning, so its "instances" are dark regions,
 * not people. Output "foreground": a binary map at 1/4 resolution.
 */
public final class DarkRegionsModel {
    public static final String NAME = "dark-regions-test";
    public static final String VERSION = "1";

    private DarkRegionsModel() {}

    public static Model build(int height, int width, int meanBelow) {
        TensorSpec input = TensorSpec.bits(8, 3, height, width);
        int cells = 3 * 4 * 4;
        ConvGeometry sum = ConvGeometry.simple(cells, 1, 1, 1, 0);
        long[] allPositive = new long[BinaryConvWeights.canonicalWords(sum)];
        allPositive[0] = (1L << cells) - 1;
        // dot = sum of the 48 bytes of a 4x4 RGB block; foreground where dot <= 48 * meanBelow.
        OutputTransform dark = new OutputTransform.BinaryThreshold(new int[] {cells * meanBelow}, new boolean[] {true});
        List<Node> nodes = List.of(
                new Node(new PatchPackOp(4, 4, 4, 4, 0, 0, 1, 1), new int[] {0}),
                new Node(new ConvOp(8, new BinaryConvWeights(sum, allPositive), dark), new int[] {1}));
        return new Model(NAME, VERSION, new Graph(input, nodes, new int[] {2}, List.of(FrameAnalyzer.FOREGROUND_OUTPUT)));
    }
}
