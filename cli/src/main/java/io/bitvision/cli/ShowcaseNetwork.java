package io.bitvision.cli;

import io.bitvision.engine.graph.ConcatOp;
import io.bitvision.engine.graph.ConvOp;
import io.bitvision.engine.graph.FloatConvOp;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.graph.Op;
import io.bitvision.engine.graph.PatchPackOp;
import io.bitvision.engine.graph.PixelShuffleOp;
import io.bitvision.engine.graph.PoolOp;
import io.bitvision.engine.graph.SigmoidOp;
import io.bitvision.engine.graph.UpsampleOp;
import io.bitvision.engine.kernel.BinaryConvWeights;
import io.bitvision.engine.kernel.ConvGeometry;
import io.bitvision.engine.kernel.OutputTransform;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An untrained network with the shape of the planned person model (bit-serial stem, binary stages with
 * depthwise strip convolutions, one aggregated skip map, a float head), with random weights. It shows what the
 * engine runs and how fast, until the trained model ships; its outputs mean nothing.
 */
final class ShowcaseNetwork {
    private final SplittableRandom rnd = new SplittableRandom(2026);
    private final List<Node> nodes = new ArrayList<>();
    private final List<TensorSpec> specs = new ArrayList<>();

    private ShowcaseNetwork(TensorSpec input) {
        specs.add(input);
    }

    static Model build(int height, int width) {
        ShowcaseNetwork n = new ShowcaseNetwork(TensorSpec.bits(8, 3, height, width));
        // Strided convolutions run as patch packing + 1x1 (identical results, dense fast kernel).
        int stem = n.conv(n.add(new PatchPackOp(3, 3, 2, 2, 1, 1, 1, 1), 0), 8, ConvGeometry.simple(27, 32, 1, 1, 0), 1); // /2
        int s1 = n.conv(n.add(new PatchPackOp(3, 3, 2, 2, 1, 1, 1, 1), stem), 1, ConvGeometry.simple(288, 64, 1, 1, 0), 1); // /4
        int s1strip = n.conv(n.conv(s1, 1, new ConvGeometry(64, 64, 1, 7, 1, 1, 0, 3, 1, 1, 64), 1), 1,
                new ConvGeometry(64, 64, 7, 1, 1, 1, 3, 0, 1, 1, 64), 1);
        int s2 = n.conv(n.add(new PatchPackOp(3, 3, 2, 2, 1, 1, 1, 1), s1strip), 1, ConvGeometry.simple(576, 128, 1, 1, 0), 1); // /8
        int s2a = n.conv(s2, 1, ConvGeometry.simple(128, 128, 3, 1, 1), 1);
        int s2strip = n.conv(n.conv(s2a, 1, new ConvGeometry(128, 128, 1, 21, 1, 1, 0, 10, 1, 1, 128), 1), 1,
                new ConvGeometry(128, 128, 21, 1, 1, 1, 10, 0, 1, 1, 128), 1);
        // UNet-- style: reduce the stride-4 features, move them to stride 8 by unshuffle, fuse with stride 8.
        int reduced = n.conv(s1strip, 1, ConvGeometry.simple(64, 16, 1, 1, 0), 1);
        int moved = n.add(new PixelShuffleOp(2, true), reduced);
        int fused = n.add(new ConcatOp(), s2strip, moved);
        int mixed = n.conv(fused, 1, ConvGeometry.simple(128 + 64, 128, 1, 1, 0), 2);
        int pooled = n.add(new PoolOp(PoolOp.Kind.MAX, 3, 1, 1), n.conv(mixed, 2, ConvGeometry.simple(128, 64, 3, 1, 1), 1));
        int up = n.add(new UpsampleOp(2), pooled);
        int features = n.convTo(up, 1, ConvGeometry.simple(64, 32, 3, 1, 1), OutputTransform.IntBias.class);
        int logits = n.add(floatHead(n.rnd, 32, 4), features);
        int scores = n.add(new SigmoidOp(), logits);
        return new Model("showcase-untrained", "0", new Graph(n.specs.get(0), n.nodes, new int[] {scores}, List.of("scores")));
    }

    private int conv(int input, int inputBits, ConvGeometry g, int outputBits) {
        int channels = g.outChannels();
        boolean[] descending = new boolean[channels];
        OutputTransform t;
        if (outputBits == 1) {
            t = new OutputTransform.BinaryThreshold(new int[channels], descending);
        } else {
            int levels = OutputTransform.MultiThreshold.levels(outputBits);
            int[] thresholds = new int[channels * levels];
            long spread = (long) Math.sqrt(g.macsPerOutput()) * ((1L << inputBits) - 1);
            for (int i = 0; i < thresholds.length; i++) {
                thresholds[i] = (int) ((i % levels - levels / 2) * spread / levels);
            }
            t = new OutputTransform.MultiThreshold(outputBits, thresholds, descending);
        }
        return add(new ConvOp(inputBits, new BinaryConvWeights(g, weights(g)), t), input);
    }

    private int convTo(int input, int inputBits, ConvGeometry g, Class<?> intOutput) {
        return add(new ConvOp(inputBits, new BinaryConvWeights(g, weights(g)), new OutputTransform.IntBias(new int[g.outChannels()])), input);
    }

    private long[] weights(ConvGeometry g) {
        long[] words = new long[BinaryConvWeights.canonicalWords(g)];
        for (int i = 0; i < words.length; i++) {
            words[i] = rnd.nextLong();
        }
        long bits = BinaryConvWeights.canonicalBits(g);
        if (bits % 64 != 0) {
            words[words.length - 1] &= (1L << (bits % 64)) - 1;
        }
        return words;
    }

    private static FloatConvOp floatHead(SplittableRandom rnd, int in, int out) {
        float[] w = new float[in * out];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextDouble(-0.05, 0.05);
        }
        return new FloatConvOp(in, out, w, new float[out]);
    }

    private int add(Op op, int... inputs) {
        TensorSpec[] in = new TensorSpec[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            in[k] = specs.get(inputs[k]);
        }
        specs.add(op.outputSpec(in));
        nodes.add(new Node(op, inputs));
        return specs.size() - 1;
    }
}
