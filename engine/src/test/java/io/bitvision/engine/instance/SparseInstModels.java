package io.bitvision.engine.instance;

import io.bitvision.engine.graph.FloatConvOp;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.graph.SigmoidOp;
import io.bitvision.engine.kernel.ConvGeometry;
import io.bitvision.engine.kernel.OutputTransform;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.TensorSpec;
import io.bitvision.engine.testing.Randoms;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small random models with the {@code sparseinst-v1} output contract. From an 8-bit RGB input [3, rows, cols]:
 * tensor 1 = mask_features (3 x 3 conv, k-bit or binary thresholds) [D, rows, cols]; tensor 2 = int32 features
 * (3 x 3 conv, stride 2) [F, ceil(rows / 2), ceil(cols / 2)]; tensor 3 = heads (float conv) [3 + D, h, w];
 * tensor 4 = IAM logits (float conv) [N, h, w]; tensor 5 = iam (sigmoid).
 */
final class SparseInstModels {
    private static final int FEATURES = 8;
    /** Typical magnitude of the int32 features: sqrt(27 taps) x the spread of uniform 8-bit values. */
    private static final double FEATURE_SCALE = Math.sqrt(27) * 148;

    private SparseInstModels() {}

    /** Shape and head biases of a test model; {@code classBias} moves every instance's class and objectness logits. */
    record Shape(int rows, int cols, int instances, int kernel, int maskBits, double classBias) {
        static Shape random(SplittableRandom rnd) {
            return new Shape(2 + rnd.nextInt(15), 2 + rnd.nextInt(19), 1 + rnd.nextInt(10), 1 + rnd.nextInt(12),
                    1 + rnd.nextInt(4), rnd.nextDouble(-1, 3));
        }
    }

    static Model model(SplittableRandom rnd, Shape shape, Map<String, String> extraMetadata) {
        int d = shape.kernel();
        TensorSpec input = TensorSpec.bits(8, 3, shape.rows(), shape.cols());
        ConvGeometry maskConv = ConvGeometry.simple(3, d, 3, 1, 1);
        ConvGeometry featureConv = new ConvGeometry(3, FEATURES, 3, 3, 2, 2, 1, 1, 1, 1, 1);
        int levels = shape.maskBits() == 1 ? 1 : (1 << shape.maskBits()) - 1;
        // Mask logits sum D terms of size kernel x level: keep their spread near +-4.
        double kernelScale = 4.0 / (Math.sqrt(d) * levels);

        int heads = 3 + d;
        float[] headWeights = new float[heads * FEATURES];
        float[] headBias = new float[heads];
        for (int c = 0; c < heads; c++) {
            boolean scoreChannel = c < 2;
            double spread = scoreChannel ? 3 : 3 * kernelScale;
            for (int f = 0; f < FEATURES; f++) {
                headWeights[c * FEATURES + f] = (float) (rnd.nextDouble(-1, 1) * spread * 2 / FEATURE_SCALE);
            }
            if (scoreChannel) {
                headBias[c] = (float) (shape.classBias() + rnd.nextDouble(-2, 2));
            } else if (c < heads - 1) {
                headBias[c] = (float) (rnd.nextDouble(-1, 1) * kernelScale * 2);
            }
        }
        // Mask bias: roughly minus the kernel times the mean feature level, so masks are neither empty nor full.
        double meanLevel = shape.maskBits() == 1 ? 0 : levels / 2.0;
        double offset = 0;
        for (int c = 0; c < d; c++) {
            offset += headBias[2 + c] * meanLevel;
        }
        headBias[heads - 1] = (float) (-offset + rnd.nextDouble(-2, 2));
        float[] iamWeights = new float[shape.instances() * FEATURES];
        float[] iamBias = new float[shape.instances()];
        for (int i = 0; i < iamWeights.length; i++) {
            iamWeights[i] = (float) (rnd.nextDouble(-1, 1) * 4 / FEATURE_SCALE);
        }
        for (int i = 0; i < iamBias.length; i++) {
            // Some maps nearly all zero, where the normaliser's epsilon matters.
            iamBias[i] = (float) (rnd.nextInt(4) == 0 ? rnd.nextDouble(-17, -12) : rnd.nextDouble(-3, 1));
        }
        OutputTransform maskOut = Randoms.thresholds(rnd, d, Randoms.dotRange(maskConv, 8), shape.maskBits());
        List<Node> nodes = List.of(
                new Node(Randoms.conv(rnd, 8, maskConv, maskOut), new int[] {0}),
                new Node(Randoms.conv(rnd, 8, featureConv, new OutputTransform.IntBias(new int[FEATURES])), new int[] {0}),
                new Node(new FloatConvOp(FEATURES, heads, headWeights, headBias), new int[] {2}),
                new Node(new FloatConvOp(FEATURES, shape.instances(), iamWeights, iamBias), new int[] {2}),
                new Node(new SigmoidOp(), new int[] {4}));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("task", "instance-segmentation");
        metadata.put("decoder", SparseInstDecoder.DECODER_ID);
        metadata.put("classes", "person");
        metadata.putAll(extraMetadata);
        Graph graph = new Graph(input, nodes, new int[] {5, 3, 1}, List.of("iam", "heads", "mask_features"));
        return new Model("sparseinst-test", "1", graph, metadata);
    }
}
