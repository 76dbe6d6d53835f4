package io.bitvision.engine.testing;

import io.bitvision.engine.graph.AddOp;
import io.bitvision.engine.graph.ConcatOp;
import io.bitvision.engine.graph.FloatConvOp;
import io.bitvision.engine.graph.GlobalPoolOp;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.graph.Op;
import io.bitvision.engine.graph.PatchPackOp;
import io.bitvision.engine.graph.PixelShuffleOp;
import io.bitvision.engine.graph.PoolOp;
import io.bitvision.engine.graph.QuantizeOp;
import io.bitvision.engine.graph.SigmoidOp;
import io.bitvision.engine.graph.UpsampleOp;
import io.bitvision.engine.kernel.ConvGeometry;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.DataType;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random valid graphs that use every operator, with skips and shared inputs, for end-to-end property tests. */
public final class RandomGraphs {
    private RandomGraphs() {}

    public static Model random(SplittableRandom rnd, int steps) {
        int bits = rnd.nextInt(3) == 0 ? 8 : 1 + rnd.nextInt(4);
        // An image stem: a first patch pack over an 8-bit image of few channels that nothing else reads.
        boolean stem = bits == 8 && rnd.nextBoolean();
        TensorSpec input = TensorSpec.bits(bits, stem ? 1 + rnd.nextInt(4) : 1 + rnd.nextInt(70), 2 + rnd.nextInt(10),
                2 + rnd.nextInt(24));
        List<TensorSpec> specs = new ArrayList<>(List.of(input));
        List<Node> nodes = new ArrayList<>();
        if (stem) {
            int k = 1 + 2 * rnd.nextInt(2);
            int s = 1 + rnd.nextInt(2);
            PatchPackOp patch = new PatchPackOp(k, k, s, s, k / 2, k / 2, 1, 1);
            nodes.add(new Node(patch, new int[] {0}));
            specs.add(patch.outputSpec(new TensorSpec[] {input}));
        }
        int first = stem ? 1 : 0;
        int attempts = 0;
        while (nodes.size() < steps && attempts++ < steps * 50) {
            int[] inputs = new int[] {first + pick(rnd, specs.subList(first, specs.size()))};
            TensorSpec in = specs.get(inputs[0]);
            Op op = null;
            switch (rnd.nextInt(12)) {
                case 0, 1, 2 -> {
                    if (in.type() == DataType.BITS) {
                        op = randomConv(rnd, in);
                    }
                }
                case 3 -> {
                    if (in.type() == DataType.BITS || rnd.nextBoolean()) {
                        boolean max = in.type() == DataType.BITS && rnd.nextBoolean();
                        int size = 1 + rnd.nextInt(3);
                        int pad = in.type() == DataType.BITS ? rnd.nextInt(size) : 0;
                        op = new PoolOp(max ? PoolOp.Kind.MAX : PoolOp.Kind.SUM, size, 1 + rnd.nextInt(2), pad);
                    }
                }
                case 4 -> {
                    if (in.pixels() <= 200) {
                        op = new UpsampleOp(1 + rnd.nextInt(3));
                    }
                }
                case 5 -> {
                    int r = 2;
                    boolean inverse = rnd.nextBoolean();
                    if (inverse ? in.height() % r == 0 && in.width() % r == 0 : in.channels() % (r * r) == 0) {
                        op = new PixelShuffleOp(r, inverse);
                    }
                }
                case 6 -> {
                    List<Integer> same = new ArrayList<>();
                    for (int t = first; t < specs.size(); t++) {
                        TensorSpec s = specs.get(t);
                        if (s.type() == in.type() && s.bits() == in.bits() && s.height() == in.height() && s.width() == in.width()) {
                            same.add(t);
                        }
                    }
                    if (in.type() != DataType.FLOAT32) {
                        int count = 2 + rnd.nextInt(2);
                        inputs = new int[count];
                        for (int k = 0; k < count; k++) {
                            inputs[k] = same.get(rnd.nextInt(same.size()));
                        }
                        op = new ConcatOp();
                    }
                }
                case 7 -> {
                    List<Integer> same = new ArrayList<>();
                    for (int t = first; t < specs.size(); t++) {
                        TensorSpec s = specs.get(t);
                        if (s.type() != DataType.FLOAT32 && s.channels() == in.channels() && s.height() == in.height() && s.width() == in.width()) {
                            same.add(t);
                        }
                    }
                    if (in.type() != DataType.FLOAT32) {
                        inputs = new int[] {inputs[0], same.get(rnd.nextInt(same.size()))};
                        op = new AddOp();
                    }
                }
                case 8 -> {
                    if (in.type() == DataType.INT32) {
                        op = new QuantizeOp(Randoms.thresholds(rnd, in.channels(), 40, rnd.nextBoolean() ? 1 : 2 + rnd.nextInt(3)));
                    } else if (in.type() != DataType.FLOAT32 && rnd.nextInt(4) == 0) {
                        op = new GlobalPoolOp();
                    }
                }
                case 9 -> {
                    int out = 1 + rnd.nextInt(6);
                    float[] w = new float[in.channels() * out];
                    float[] b = new float[out];
                    for (int i = 0; i < w.length; i++) {
                        w[i] = (float) rnd.nextDouble(-1, 1);
                    }
                    for (int i = 0; i < out; i++) {
                        b[i] = (float) rnd.nextDouble(-1, 1);
                    }
                    op = new FloatConvOp(in.channels(), out, w, b);
                }
                case 10 -> {
                    if (in.type() == DataType.FLOAT32) {
                        op = new SigmoidOp();
                    }
                }
                default -> {
                    if (in.type() == DataType.BITS && in.channels() <= 24) {
                        int k = 1 + 2 * rnd.nextInt(2);
                        int s = 1 + rnd.nextInt(2);
                        op = new PatchPackOp(k, k, s, s, rnd.nextInt(k / 2 + 1), rnd.nextInt(k / 2 + 1), 1, 1 + rnd.nextInt(2));
                    }
                }
            }
            if (op == null) {
                continue;
            }
            TensorSpec[] inSpecs = new TensorSpec[inputs.length];
            for (int k = 0; k < inputs.length; k++) {
                inSpecs[k] = specs.get(inputs[k]);
            }
            TensorSpec out;
            try {
                out = op.outputSpec(inSpecs);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (out.channels() > 200 || out.pixels() > 1200) {
                continue;
            }
            nodes.add(new Node(op, inputs));
            specs.add(out);
        }
        int last = specs.size() - 1;
        int[] outputs = rnd.nextBoolean() ? new int[] {last} : new int[] {last, first + rnd.nextInt(specs.size() - first)};
        List<String> names = new ArrayList<>();
        for (int i = 0; i < outputs.length; i++) {
            names.add("out" + i);
        }
        return new Model("random", "1", new Graph(input, nodes, outputs, names));
    }

    /** Prefers recent tensors, so graphs grow deep, but reaches back for skips. */
    private static int pick(SplittableRandom rnd, List<TensorSpec> specs) {
        int n = specs.size();
        return rnd.nextInt(3) == 0 ? rnd.nextInt(n) : Math.max(0, n - 1 - rnd.nextInt(Math.min(n, 2)));
    }

    private static Op randomConv(SplittableRandom rnd, TensorSpec in) {
        int inC = in.channels();
        boolean depthwise = rnd.nextInt(4) == 0;
        int outC = depthwise ? inC : 1 + rnd.nextInt(80);
        int k = 1 + 2 * rnd.nextInt(2);
        boolean strip = rnd.nextInt(3) == 0;
        int kh = strip ? 1 : k;
        int kw = strip ? 2 * k + 1 : k;
        int stride = rnd.nextInt(4) == 0 ? 2 : 1;
        ConvGeometry g = new ConvGeometry(inC, outC, kh, kw, stride, stride, kh / 2, kw / 2, 1, 1, depthwise ? inC : 1);
        if (!g.fitsInput(in.height(), in.width())) {
            return null;
        }
        return Randoms.conv(rnd, in.bits(), g, Randoms.transform(rnd, outC, Randoms.dotRange(g, in.bits())));
    }
}
