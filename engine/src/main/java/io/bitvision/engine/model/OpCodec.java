package io.bitvision.engine.model;

import io.bitvision.engine.graph.AddOp;
import io.bitvision.engine.graph.ConcatOp;
import io.bitvision.engine.graph.ConvOp;
import io.bitvision.engine.graph.FloatConvOp;
import io.bitvision.engine.graph.GlobalPoolOp;
import io.bitvision.engine.graph.Op;
import io.bitvision.engine.graph.OpType;
import io.bitvision.engine.graph.PatchPackOp;
import io.bitvision.engine.graph.PixelShuffleOp;
import io.bitvision.engine.graph.PoolOp;
import io.bitvision.engine.graph.QuantizeOp;
import io.bitvision.engine.graph.SigmoidOp;
import io.bitvision.engine.graph.UpsampleOp;
import io.bitvision.engine.kernel.BinaryConvWeights;
import io.bitvision.engine.kernel.ConvGeometry;
import io.bitvision.engine.kernel.OutputTransform;
import java.io.DataOutputStream;
import java.io.IOException;

/** Reads and writes each operator's parameter record (docs/model-format.md lists the fields). */
final class OpCodec {
    private static final int TRANSFORM_BINARY = 1;
    private static final int TRANSFORM_MULTI = 2;
    private static final int TRANSFORM_INT = 3;
    private static final int TRANSFORM_FLOAT = 4;

    private OpCodec() {}

    static void write(Op op, DataOutputStream out) throws IOException {
        switch (op) {
            case ConvOp conv -> {
                ConvGeometry g = conv.geometry();
                out.writeByte(conv.inputBits());
                for (int v : new int[] {g.inChannels(), g.outChannels(), g.kernelH(), g.kernelW(), g.strideH(),
                        g.strideW(), g.padH(), g.padW(), g.dilationH(), g.dilationW(), g.groups()}) {
                    out.writeShort(v);
                }
                writeTransform(conv.transform(), out);
                long[] words = conv.weights().canonicalCopy();
                out.writeInt(words.length);
                for (long w : words) {
                    out.writeLong(w);
                }
            }
            case PoolOp pool -> {
                out.writeByte(pool.kind().ordinal());
                out.writeByte(pool.size());
                out.writeByte(pool.stride());
                out.writeByte(pool.pad());
            }
            case UpsampleOp up -> out.writeByte(up.factor());
            case PixelShuffleOp shuffle -> {
                out.writeByte(shuffle.ratio());
                out.writeByte(shuffle.inverse() ? 1 : 0);
            }
            case QuantizeOp q -> writeTransform(q.transform(), out);
            case FloatConvOp f -> {
                out.writeShort(f.inChannels());
                out.writeShort(f.outChannels());
                for (int o = 0; o < f.outChannels(); o++) {
                    for (int c = 0; c < f.inChannels(); c++) {
                        out.writeFloat(f.weight(o, c));
                    }
                }
                for (int o = 0; o < f.outChannels(); o++) {
                    out.writeFloat(f.bias(o));
                }
            }
            case PatchPackOp patch -> {
                for (int v : patch.parameters()) {
                    out.writeByte(v);
                }
            }
            case ConcatOp c -> { }
            case AddOp a -> { }
            case GlobalPoolOp g -> { }
            case SigmoidOp s -> { }
            default -> throw new IllegalArgumentException("no codec for " + op.getClass().getName());
        }
    }

    static Op read(OpType type, ModelInput in, ReaderLimits limits) throws ModelFormatException {
        try {
            return switch (type) {
                case CONV -> readConv(in, limits);
                case POOL -> {
                    int kind = in.u8("pool kind");
                    if (kind >= PoolOp.Kind.values().length) {
                        throw in.invalid("unknown pool kind " + kind);
                    }
                    yield new PoolOp(PoolOp.Kind.values()[kind], in.u8("pool size"), in.u8("pool stride"), in.u8("pool pad"));
                }
                case UPSAMPLE -> new UpsampleOp(in.u8("upsample factor"));
                case PIXEL_SHUFFLE -> new PixelShuffleOp(in.u8("shuffle ratio"), in.bool("shuffle inverse"));
                case CONCAT -> new ConcatOp();
                case ADD -> new AddOp();
                case GLOBAL_POOL -> new GlobalPoolOp();
                case QUANTIZE -> new QuantizeOp(readTransform(in, -1));
                case FLOAT_CONV -> {
                    int inChannels = in.u16("float conv in channels");
                    int outChannels = in.u16("float conv out channels");
                    float[] weights = in.f32Array((long) inChannels * outChannels, "float conv weights");
                    float[] bias = in.f32Array(outChannels, "float conv bias");
                    yield new FloatConvOp(inChannels, outChannels, weights, bias);
                }
                case SIGMOID -> new SigmoidOp();
                case PATCH_PACK -> new PatchPackOp(in.u8("patch kernel h"), in.u8("patch kernel w"), in.u8("patch stride h"),
                        in.u8("patch stride w"), in.u8("patch pad h"), in.u8("patch pad w"), in.u8("patch dilation h"),
                        in.u8("patch dilation w"));
                case CONV_ADD_QUANTIZE -> throw in.invalid("operator " + type + " is made at load, never stored");
            };
        } catch (IllegalArgumentException e) {
            throw in.invalid(e.getMessage());
        }
    }

    private static ConvOp readConv(ModelInput in, ReaderLimits limits) throws ModelFormatException {
        int inputBits = in.u8("conv input bits");
        int[] g = new int[11];
        for (int i = 0; i < g.length; i++) {
            g[i] = in.u16("conv geometry");
        }
        ConvGeometry geometry = new ConvGeometry(g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10]);
        OutputTransform transform = readTransform(in, geometry.outChannels());
        long expected = (BinaryConvWeights.canonicalBits(geometry) + 63) >>> 6;
        int count = in.i32("conv weight word count");
        if (count != expected) {
            throw in.invalid("conv declares " + count + " weight words, its geometry needs " + expected);
        }
        // Grouped weights are stored one aligned word run per tap; bound that expansion before allocating it.
        long kernelBytes = (long) geometry.outChannels() * geometry.taps()
                * (((geometry.inPerGroup() + 62) >>> 6) + 1) * Long.BYTES;
        if (kernelBytes > limits.maxTensorBytes()) {
            throw new ModelLimitExceededException("conv weights would take " + kernelBytes
                    + " bytes in kernel form, over the limit of " + limits.maxTensorBytes());
        }
        long[] words = in.i64Array(count, "conv weights");
        return new ConvOp(inputBits, new BinaryConvWeights(geometry, words), transform);
    }

    private static void writeTransform(OutputTransform transform, DataOutputStream out) throws IOException {
        switch (transform) {
            case OutputTransform.BinaryThreshold t -> {
                out.writeByte(TRANSFORM_BINARY);
                out.writeShort(t.channels());
                writeInts(t.thresholds(), out);
                writeBools(t.descending(), out);
            }
            case OutputTransform.MultiThreshold t -> {
                out.writeByte(TRANSFORM_MULTI);
                out.writeShort(t.channels());
                out.writeByte(t.bits());
                writeInts(t.thresholds(), out);
                writeBools(t.descending(), out);
            }
            case OutputTransform.IntBias t -> {
                out.writeByte(TRANSFORM_INT);
                out.writeShort(t.channels());
                writeInts(t.bias(), out);
            }
            case OutputTransform.FloatAffine t -> {
                out.writeByte(TRANSFORM_FLOAT);
                out.writeShort(t.channels());
                for (float v : t.scale()) {
                    out.writeFloat(v);
                }
                for (float v : t.bias()) {
                    out.writeFloat(v);
                }
            }
        }
    }

    /** @param channels expected channel count, or -1 to accept the record's own */
    private static OutputTransform readTransform(ModelInput in, int channels) throws ModelFormatException {
        int kind = in.u8("transform kind");
        int declared = in.u16("transform channels");
        if (channels >= 0 && declared != channels) {
            throw in.invalid("transform has " + declared + " channels, layer has " + channels);
        }
        return switch (kind) {
            case TRANSFORM_BINARY -> new OutputTransform.BinaryThreshold(
                    in.i32Array(declared, "thresholds"), in.boolArray(declared, "threshold directions"));
            case TRANSFORM_MULTI -> {
                int bits = in.u8("output bits");
                if (bits < 2 || bits > 8) {
                    throw in.invalid("multi-threshold output bits must be 2..8, not " + bits);
                }
                int[] thresholds = in.i32Array((long) declared * OutputTransform.MultiThreshold.levels(bits), "thresholds");
                yield new OutputTransform.MultiThreshold(bits, thresholds, in.boolArray(declared, "threshold directions"));
            }
            case TRANSFORM_INT -> new OutputTransform.IntBias(in.i32Array(declared, "int bias"));
            case TRANSFORM_FLOAT -> new OutputTransform.FloatAffine(
                    in.f32Array(declared, "float scale"), in.f32Array(declared, "float bias"));
            default -> throw in.invalid("unknown output transform kind " + kind);
        };
    }

    private static void writeInts(int[] values, DataOutputStream out) throws IOException {
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static void writeBools(boolean[] values, DataOutputStream out) throws IOException {
        for (boolean v : values) {
            out.writeByte(v ? 1 : 0);
        }
    }
}
