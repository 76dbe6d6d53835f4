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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small random models with the {@code centerinst-v1} output contract. From an 8-bit RGB input [3, rows, cols]:
 * tensor 1 = mask_features (3 x 3 conv, k-bit or binary thresholds) [D, rows, cols]; tensor 2 = int32 features
 * (3 x 3 conv, stride 2) [F, h, w] with h = ceil(rows / 2), w = ceil(cols / 2); tensor 3 = heads (float conv)
 * [4 + D, h, w]; then the heatmap [1, h, w], the sigmoid of a float conv (see {@link Heat}).
 */
final class CenterInstModels {
    private static final int FEATURES = 8;
    /** Typical magnitude of the int32 features: sqrt(27 taps) x the spread of uniform 8-bit values. */
    private static final double FEATURE_SCALE = Math.sqrt(27) * 148;

    private CenterInstModels() {}

    /** Where the heat logits come from. */
    enum Heat {
        /** The int32 features: smooth, few ties. */
        SMOOTH,
        /** A one-channel 1- or 2-bit map: few distinct heats, so plateaus and tied peaks. */
        LEVELS,
        /** The bias alone: every cell ties, every cell is a peak. */
        CONSTANT;

        static Heat random(SplittableRandom rnd) {
            int pick = rnd.nextInt(12);
            return pick == 0 ? CONSTANT : pick < 5 ? LEVELS : SMOOTH;
        }
    }

    /**
     * Shape and head biases of a test model.
     *
     * @param objectBias moves every candidate's objectness logit
     * @param heatBias   moves the heat logits: higher gives more peaks above the peak threshold
     */
    record Shape(int rows, int cols, int kernel, int maskBits, double objectBias, double heatBias, Heat heat) {
        static Shape random(SplittableRandom rnd) {
            return new Shape(1 + rnd.nextInt(16), 1 + rnd.nextInt(20), 1 + rnd.nextInt(12), 1 + rnd.nextInt(4),
                    rnd.nextDouble(-1, 4), rnd.nextDouble(-2.5, 1.5), Heat.random(rnd));
        }

        int gridRows() {
            return (rows + 1) / 2;
        }

        int gridCols() {
            return (cols + 1) / 2;
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

        int heads = 4 + d;
        float[] headWeights = new float[heads * FEATURES];
        float[] headBias = new float[heads];
        for (int c = 0; c < heads; c++) {
            // Per-pixel variation: a 3 x 3 window averages far less than an activation map over the whole grid.
            double spread = c == 0 ? 1 : c <= d ? 0.25 * kernelScale : c == d + 1 ? 0 : 0.1;
            for (int f = 0; f < FEATURES; f++) {
                headWeights[c * FEATURES + f] = (float) (rnd.nextDouble(-1, 1) * spread * 2 / FEATURE_SCALE);
            }
            if (c == 0) {
                headBias[c] = (float) (shape.objectBias() + rnd.nextDouble(-2, 2));
            } else if (c <= d) {
                headBias[c] = (float) (rnd.nextDouble(-1, 1) * kernelScale * 2);
            } else if (c > d + 1) {
                // Spatial prior weights: mostly negative (a bump around the centre), sometimes about zero.
                headBias[c] = (float) rnd.nextDouble(-1.5, 0.2);
            }
        }
        // Mask bias: roughly minus the kernel times the mean feature level, so masks are neither empty nor full.
        double meanLevel = shape.maskBits() == 1 ? 0 : levels / 2.0;
        double offset = 0;
        for (int c = 1; c <= d; c++) {
            offset += headBias[c] * meanLevel;
        }
        headBias[d + 1] = (float) (-offset + rnd.nextDouble(0, 4));

        List<Node> nodes = new ArrayList<>(List.of(
                new Node(Randoms.conv(rnd, 8, maskConv, Randoms.thresholds(rnd, d, Randoms.dotRange(maskConv, 8), shape.maskBits())), new int[] {0}),
                new Node(Randoms.conv(rnd, 8, featureConv, new OutputTransform.IntBias(new int[FEATURES])), new int[] {0}),
                new Node(new FloatConvOp(FEATURES, heads, headWeights, headBias), new int[] {2})));
        if (shape.heat() == Heat.LEVELS) {
            ConvGeometry levelConv = new ConvGeometry(3, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1);
            int heatBits = 1 + rnd.nextInt(2);
            nodes.add(new Node(Randoms.conv(rnd, 8, levelConv,
                    Randoms.thresholds(rnd, 1, Randoms.dotRange(levelConv, 8) / 2, heatBits)), new int[] {0}));
            float step = (float) rnd.nextDouble(0.5, 2);
            nodes.add(new Node(new FloatConvOp(1, 1, new float[] {step}, new float[] {(float) shape.heatBias()}), new int[] {4}));
        } else {
            float[] heatWeights = new float[FEATURES];
            for (int f = 0; f < FEATURES; f++) {
                heatWeights[f] = shape.heat() == Heat.CONSTANT ? 0f : (float) (rnd.nextDouble(-1, 1) * 4 / FEATURE_SCALE);
            }
            nodes.add(new Node(new FloatConvOp(FEATURES, 1, heatWeights, new float[] {(float) shape.heatBias()}), new int[] {2}));
        }
        int heatLogits = nodes.size();
        nodes.add(new Node(new SigmoidOp(), new int[] {heatLogits}));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("task", "instance-segmentation");
        metadata.put("decoder", CenterInstDecoder.DECODER_ID);
        metadata.put("classes", "person");
        metadata.putAll(extraMetadata);
        Graph graph = new Graph(input, nodes, new int[] {nodes.size(), 3, 1}, CenterInstDecoder.OUTPUTS);
        return new Model("centerinst-test", "1", graph, metadata);
    }
}
