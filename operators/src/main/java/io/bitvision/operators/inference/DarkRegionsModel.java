package io.bitvision.operators.inference;

import io.bitvision.engine.graph.ConvOp;
import io.bitvision.engine.graph.FloatConvOp;
import io.bitvision.engine.graph.GlobalPoolOp;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.graph.PatchPackOp;
import io.bitvision.engine.graph.SigmoidOp;
import io.bitvision.engine.instance.CenterInstDecoder;
import io.bitvision.engine.instance.SparseInstDecoder;
import io.bitvision.engine.kernel.BinaryConvWeights;
import io.bitvision.engine.kernel.ConvGeometry;
import io.bitvision.engine.kernel.OutputTransform;
import io.bitvision.engine.model.MetadataKeys;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-built stand-in model for exercising the pipeline without the trained person model: it marks
 * 4x4 blocks whose mean brightness is below a threshold (pedestrians on vtest's light floor are mostly dark).
 * Two real engine layers (bit-serial patch conv, threshold); no learning, so its "instances" are dark regions,
 * not people. Output "foreground": a binary map at 1/4 resolution.
 */
public final class DarkRegionsModel {
    public static final String NAME = "dark-regions-test";
    public static final String SPARSE_INST_NAME = "dark-regions-sparseinst-test";
    public static final String CENTER_INST_NAME = "dark-regions-centerinst-test";
    public static final String VERSION = "1";
    /** Head constants of {@link #buildSparseInst}: class and objectness logits, mask kernel weight, mask bias. */
    private static final float[] HEAD = {5f, 5f, 4f, 0f};
    /** Head constants of {@link #buildCenterInst}: objectness logit, mask kernel weight, mask bias, wx, wy. */
    private static final float[] CENTER_HEAD = {5f, 4f, 0f, 0f, 0f};
    /** Heat logit of {@link #buildCenterInst}'s one heatmap cell. */
    private static final float CENTER_HEAT = 5f;

    private DarkRegionsModel() {}

    public static Model build(int height, int width, int meanBelow) {
        List<Node> nodes = darkMap(meanBelow);
        return new Model(NAME, VERSION, new Graph(input(height, width), nodes, new int[] {2},
                List.of(FrameAnalyzer.FOREGROUND_OUTPUT)));
    }

    /**
     * The same dark-block map behind the smallest head that meets the {@link SparseInstDecoder} contract, for
     * tests of that path: one instance query whose mask is every dark block (mask logit +4 on dark blocks, -4
     * elsewhere) and whose score is fixed: sqrt(sigmoid(5) * sigmoid(5)) * sigmoid(4) = 0.9755.
     */
    public static Model buildSparseInst(int height, int width, int meanBelow) {
        List<Node> nodes = new ArrayList<>(darkMap(meanBelow));
        // Weights 0: every head is its bias, so the IAM-weighted averages are the bias whatever the IAM.
        nodes.add(new Node(new FloatConvOp(1, HEAD.length, new float[HEAD.length], HEAD), new int[] {2}));
        nodes.add(new Node(new FloatConvOp(1, 1, new float[1], new float[1]), new int[] {2}));
        nodes.add(new Node(new SigmoidOp(), new int[] {4}));
        return new Model(SPARSE_INST_NAME, VERSION, new Graph(input(height, width), nodes, new int[] {5, 3, 2},
                SparseInstDecoder.OUTPUTS), instanceMetadata(SparseInstDecoder.DECODER_ID));
    }

    /**
     * The same dark-block map behind the smallest head that meets the {@link CenterInstDecoder} contract: a 1 x 1
     * heatmap (so one peak) of heat sigmoid(5), heads with objectness 5, mask kernel weight 4 and no spatial prior.
     * Its one instance is every dark block with the same score as {@link #buildSparseInst}'s:
     * sqrt(sigmoid(5) * sigmoid(5)) * sigmoid(4) = 0.9755.
     */
    public static Model buildCenterInst(int height, int width, int meanBelow) {
        List<Node> nodes = new ArrayList<>(darkMap(meanBelow));
        // Tensor 3: the map's sum, a 1 x 1 grid. Weights 0 below: heads and heat are their biases.
        nodes.add(new Node(new GlobalPoolOp(), new int[] {2}));
        nodes.add(new Node(new FloatConvOp(1, CENTER_HEAD.length, new float[CENTER_HEAD.length], CENTER_HEAD), new int[] {3}));
        nodes.add(new Node(new FloatConvOp(1, 1, new float[1], new float[] {CENTER_HEAT}), new int[] {3}));
        nodes.add(new Node(new SigmoidOp(), new int[] {5}));
        return new Model(CENTER_INST_NAME, VERSION, new Graph(input(height, width), nodes, new int[] {6, 4, 2},
                CenterInstDecoder.OUTPUTS), instanceMetadata(CenterInstDecoder.DECODER_ID));
    }

    private static Map<String, String> instanceMetadata(String decoder) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(MetadataKeys.TASK, "instance-segmentation");
        metadata.put(MetadataKeys.DECODER, decoder);
        metadata.put(MetadataKeys.CLASSES, "person");
        metadata.put(MetadataKeys.INPUT_ORDER, "rgb");
        metadata.put(MetadataKeys.INPUT_RESIZE, "nearest");
        return metadata;
    }

    private static TensorSpec input(int height, int width) {
        return TensorSpec.bits(8, 3, height, width);
    }

    /** Nodes 0 and 1: tensor 2 is the binary map of 4x4 blocks darker than {@code meanBelow}. */
    private static List<Node> darkMap(int meanBelow) {
        int cells = 3 * 4 * 4;
        ConvGeometry sum = ConvGeometry.simple(cells, 1, 1, 1, 0);
        long[] allPositive = new long[BinaryConvWeights.canonicalWords(sum)];
        allPositive[0] = (1L << cells) - 1;
        // dot = sum of the 48 bytes of a 4x4 RGB block; foreground where dot <= 48 * meanBelow.
        OutputTransform dark = new OutputTransform.BinaryThreshold(new int[] {cells * meanBelow}, new boolean[] {true});
        return List.of(
                new Node(new PatchPackOp(4, 4, 4, 4, 0, 0, 1, 1), new int[] {0}),
                new Node(new ConvOp(8, new BinaryConvWeights(sum, allPositive), dark), new int[] {1}));
    }
}
