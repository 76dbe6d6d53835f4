package io.bitvision.engine.testing;

import io.bitvision.engine.graph.ConvOp;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.graph.Op;
import io.bitvision.engine.kernel.BinaryConvWeights;
import io.bitvision.engine.kernel.ConvGeometry;
import io.bitvision.engine.kernel.OutputTransform;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.FloatTensor;
import io.bitvision.engine.tensor.IntTensor;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.List;
import java.util.SplittableRandom;

/** Random weights, transforms, inputs and small models for property tests. Seeded: failures reproduce. */
public final class Randoms {
    private Randoms() {}

    public static long[] weights(SplittableRandom rnd, ConvGeometry g) {
        long bits = BinaryConvWeights.canonicalBits(g);
        long[] words = new long[BinaryConvWeights.canonicalWords(g)];
        for (int i = 0; i < words.length; i++) {
            words[i] = rnd.nextLong();
        }
        int used = (int) (bits % 64);
        if (used != 0) {
            words[words.length - 1] &= (1L << used) - 1;
        }
        return words;
    }

    /** A random transform of a random kind whose thresholds fall inside [-range, range]. */
    public static OutputTransform transform(SplittableRandom rnd, int channels, long range) {
        int r = (int) Math.max(1, Math.min(range, 1 << 28));
        boolean[] descending = new boolean[channels];
        for (int i = 0; i < channels; i++) {
            descending[i] = rnd.nextInt(4) == 0;
        }
        return switch (rnd.nextInt(6)) {
            case 0, 1, 2 -> new OutputTransform.BinaryThreshold(ints(rnd, channels, r), descending);
            case 3 -> {
                int bits = 2 + rnd.nextInt(3);
                yield new OutputTransform.MultiThreshold(bits, ints(rnd, channels * OutputTransform.MultiThreshold.levels(bits), r), descending);
            }
            case 4 -> new OutputTransform.IntBias(ints(rnd, channels, r));
            default -> {
                float[] scale = new float[channels];
                float[] bias = new float[channels];
                for (int i = 0; i < channels; i++) {
                    scale[i] = (float) (rnd.nextDouble() * 2 - 1) / r;
                    bias[i] = (float) (rnd.nextDouble() * 2 - 1);
                }
                yield new OutputTransform.FloatAffine(scale, bias);
            }
        };
    }

    public static OutputTransform thresholds(SplittableRandom rnd, int channels, long range, int outBits) {
        int r = (int) Math.max(1, Math.min(range, 1 << 28));
        boolean[] descending = new boolean[channels];
        for (int i = 0; i < channels; i++) {
            descending[i] = rnd.nextInt(4) == 0;
        }
        if (outBits == 1) {
            return new OutputTransform.BinaryThreshold(ints(rnd, channels, r), descending);
        }
        return new OutputTransform.MultiThreshold(outBits, ints(rnd, channels * OutputTransform.MultiThreshold.levels(outBits), r), descending);
    }

    private static int[] ints(SplittableRandom rnd, int count, int range) {
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = rnd.nextInt(-range, range + 1);
        }
        return values;
    }

    public static ConvOp conv(SplittableRandom rnd, int inputBits, ConvGeometry g, OutputTransform transform) {
        return new ConvOp(inputBits, new BinaryConvWeights(g, weights(rnd, g)), transform);
    }

    /** Typical magnitude of a dot product: sqrt(K) * activation scale, so thresholds split outputs. */
    public static long dotRange(ConvGeometry g, int inputBits) {
        double k = g.macsPerOutput();
        double scale = inputBits == 1 ? 1 : (1 << inputBits) - 1;
        return (long) Math.max(1, Math.sqrt(k) * scale * 1.5);
    }

    public static void fill(SplittableRandom rnd, Tensor tensor) {
        TensorSpec s = tensor.spec();
        if (tensor instanceof BitTensor b) {
            b.clear(); // setValue writes channel bits only; the arena may hold another tensor's bits
        }
        for (int c = 0; c < s.channels(); c++) {
            for (int y = 0; y < s.height(); y++) {
                for (int x = 0; x < s.width(); x++) {
                    switch (tensor) {
                        case BitTensor b -> b.setValue(c, y, x, s.isBinary() ? (rnd.nextBoolean() ? 1 : -1) : rnd.nextInt(1 << s.bits()));
                        case IntTensor i -> i.set(c, y, x, rnd.nextInt(-1000, 1000));
                        case FloatTensor f -> f.set(c, y, x, (float) rnd.nextDouble(-2, 2));
                    }
                }
            }
        }
    }

    public static Model single(TensorSpec input, Op op) {
        return new Model("test", "0", new Graph(input, List.of(new Node(op, new int[] {0})), new int[] {1}, List.of("out")));
    }
}
