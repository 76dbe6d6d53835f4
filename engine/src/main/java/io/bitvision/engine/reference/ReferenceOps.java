package io.bitvision.engine.reference;

import io.bitvision.engine.graph.AddOp;
import io.bitvision.engine.graph.ConcatOp;
import io.bitvision.engine.graph.ConvOp;
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
import io.bitvision.engine.kernel.OutputTransform;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.TensorSpec;

/** The obvious implementation of every operator and of a whole graph. */
public final class ReferenceOps {
    private ReferenceOps() {}

    /** Every tensor of the graph, computed from {@code input}: index 0 is the input, i + 1 node i's output. */
    public static RefTensor[] run(Model model, RefTensor input) {
        Graph graph = model.graph();
        RefTensor[] tensors = new RefTensor[graph.tensorCount()];
        tensors[0] = input;
        for (int i = 0; i < graph.nodes().size(); i++) {
            Node node = graph.nodes().get(i);
            int[] ids = node.inputs();
            RefTensor[] in = new RefTensor[ids.length];
            for (int k = 0; k < ids.length; k++) {
                in[k] = tensors[ids[k]];
            }
            tensors[i + 1] = apply(node.op(), in, graph.spec(i + 1));
        }
        return tensors;
    }

    public static RefTensor apply(Op op, RefTensor[] in, TensorSpec out) {
        return switch (op) {
            case ConvOp conv -> conv(conv, in[0], out);
            case PoolOp pool -> pool(pool, in[0], out);
            case UpsampleOp up -> map(out, (c, y, x) -> in[0].get(c, y / up.factor(), x / up.factor()),
                    (c, y, x) -> in[0].getFloat(c, y / up.factor(), x / up.factor()));
            case PixelShuffleOp shuffle -> shuffle(shuffle, in[0], out);
            case ConcatOp concat -> concat(in, out);
            case AddOp add -> map(out, (c, y, x) -> in[0].get(c, y, x) + in[1].get(c, y, x), null);
            case GlobalPoolOp pool -> map(out, (c, y, x) -> {
                long sum = 0;
                for (int yy = 0; yy < in[0].spec().height(); yy++) {
                    for (int xx = 0; xx < in[0].spec().width(); xx++) {
                        sum += in[0].get(c, yy, xx);
                    }
                }
                return sum;
            }, null);
            case QuantizeOp q -> map(out, (c, y, x) -> (long) threshold(q.transform(), c, in[0].get(c, y, x)), null);
            case FloatConvOp f -> map(out, null, (c, y, x) -> {
                float sum = 0f;
                for (int k = 0; k < f.inChannels(); k++) {
                    sum += f.weight(c, k) * in[0].getFloat(k, y, x);
                }
                return sum + f.bias(c);
            });
            case SigmoidOp s -> map(out, null, (c, y, x) -> (float) (1.0 / (1.0 + Math.exp(-in[0].getFloat(c, y, x)))));
            case PatchPackOp patch -> {
                int[] q = patch.parameters(); // kh, kw, sh, sw, ph, pw, dh, dw
                int channels = in[0].spec().channels();
                yield map(out, (c, y, x) -> {
                    int tap = c / channels;
                    int ky = tap / q[1];
                    int kx = tap % q[1];
                    return in[0].get(c % channels, y * q[2] - q[4] + ky * q[6], x * q[3] - q[5] + kx * q[7]);
                }, null);
            }
            default -> throw new IllegalArgumentException("no reference for " + op.type());
        };
    }

    /** Sum over taps and input channels of weight (+-1) times activation, padding at its padding value. */
    public static long dot(ConvOp conv, RefTensor in, int o, int y, int x) {
        ConvGeometry g = conv.geometry();
        int group = o / g.outPerGroup();
        long sum = 0;
        for (int ky = 0; ky < g.kernelH(); ky++) {
            for (int kx = 0; kx < g.kernelW(); kx++) {
                int iy = y * g.strideH() - g.padH() + ky * g.dilationH();
                int ix = x * g.strideW() - g.padW() + kx * g.dilationW();
                for (int ci = 0; ci < g.inPerGroup(); ci++) {
                    long activation = in.get(group * g.inPerGroup() + ci, iy, ix);
                    sum += conv.weights().sign(o, ky, kx, ci) * activation;
                }
            }
        }
        return sum;
    }

    private static RefTensor conv(ConvOp conv, RefTensor in, TensorSpec out) {
        OutputTransform t = conv.transform();
        if (t instanceof OutputTransform.FloatAffine affine) {
            return map(out, null, (o, y, x) -> dot(conv, in, o, y, x) * affine.scale()[o] + affine.bias()[o]);
        }
        if (t instanceof OutputTransform.IntBias bias) {
            return map(out, (o, y, x) -> dot(conv, in, o, y, x) + bias.bias()[o], null);
        }
        return map(out, (o, y, x) -> (long) threshold(t, o, dot(conv, in, o, y, x)), null);
    }

    /** Threshold transforms on a value: +-1 for binary thresholds, the level count for multi-thresholds. */
    public static int threshold(OutputTransform t, int channel, long value) {
        if (t instanceof OutputTransform.BinaryThreshold b) {
            boolean on = b.descending()[channel] ? value <= b.thresholds()[channel] : value >= b.thresholds()[channel];
            return on ? 1 : -1;
        }
        OutputTransform.MultiThreshold m = (OutputTransform.MultiThreshold) t;
        int levels = OutputTransform.MultiThreshold.levels(m.bits());
        int count = 0;
        for (int i = 0; i < levels; i++) {
            long limit = m.thresholds()[channel * levels + i];
            if (m.descending()[channel] ? value <= limit : value >= limit) {
                count++;
            }
        }
        return count;
    }

    private static RefTensor pool(PoolOp pool, RefTensor in, TensorSpec out) {
        return map(out, (c, y, x) -> {
            long best = Long.MIN_VALUE;
            long sum = 0;
            for (int dy = 0; dy < pool.size(); dy++) {
                for (int dx = 0; dx < pool.size(); dx++) {
                    long v = in.get(c, y * pool.stride() - pool.pad() + dy, x * pool.stride() - pool.pad() + dx);
                    best = Math.max(best, v);
                    sum += v;
                }
            }
            return pool.kind() == PoolOp.Kind.MAX ? best : sum;
        }, null);
    }

    private static RefTensor shuffle(PixelShuffleOp op, RefTensor in, TensorSpec out) {
        int r = op.ratio();
        if (!op.inverse()) {
            return map(out, (c, y, x) -> in.get(c * r * r + (y % r) * r + (x % r), y / r, x / r),
                    (c, y, x) -> in.getFloat(c * r * r + (y % r) * r + (x % r), y / r, x / r));
        }
        return map(out, (c, y, x) -> in.get(c / (r * r), y * r + (c % (r * r)) / r, x * r + c % r),
                (c, y, x) -> in.getFloat(c / (r * r), y * r + (c % (r * r)) / r, x * r + c % r));
    }

    private static RefTensor concat(RefTensor[] in, TensorSpec out) {
        return map(out, (c, y, x) -> {
            int k = 0;
            int channel = c;
            while (channel >= in[k].spec().channels()) {
                channel -= in[k].spec().channels();
                k++;
            }
            return in[k].get(channel, y, x);
        }, null);
    }

    private interface IntAt {
        long at(int c, int y, int x);
    }

    private interface FloatAt {
        float at(int c, int y, int x);
    }

    private static RefTensor map(TensorSpec out, IntAt ints, FloatAt floats) {
        RefTensor r = new RefTensor(out);
        for (int c = 0; c < out.channels(); c++) {
            for (int y = 0; y < out.height(); y++) {
                for (int x = 0; x < out.width(); x++) {
                    if (r.isFloat()) {
                        r.setFloat(c, y, x, floats.at(c, y, x));
                    } else {
                        r.set(c, y, x, ints.at(c, y, x));
                    }
                }
            }
        }
        return r;
    }
}
