package io.bitvision.benchmarks.engine.onnx;

/**
 * Serialised ONNX model holding one Conv node, encoded by hand because nothing here can
 * run the onnx Python package. Field numbers are those of onnx/onnx.proto.
 */
public final class OnnxConvModel {

    public static final String INPUT = "x";
    public static final String OUTPUT = "y";

    private static final long IR_VERSION = 8;
    private static final long OPSET = 13;

    private static final int FLOAT = 1; // TensorProto.DataType.FLOAT
    private static final int ATTR_INT = 2; // AttributeProto.AttributeType.INT
    private static final int ATTR_INTS = 7; // AttributeProto.AttributeType.INTS

    private OnnxConvModel() {}

    /** A Conv model whose weight and bias come from {@link ConvWeights#random(ConvShape, long)}. */
    public static byte[] conv(int inChannels, int outChannels, int kernelH, int kernelW,
                              int strideH, int strideW, int padH, int padW, int groups,
                              int height, int width, long seed) {
        ConvShape shape = new ConvShape(inChannels, outChannels, kernelH, kernelW,
                strideH, strideW, padH, padW, groups, height, width);
        return conv(shape, ConvWeights.random(shape, seed));
    }

    public static byte[] conv(ConvShape shape, ConvWeights weights) {
        if (weights.weight().length != shape.weightCount() || weights.bias().length != shape.outChannels()) {
            throw new IllegalArgumentException("weights do not match " + shape);
        }
        ProtoWriter graph = new ProtoWriter()
                .message(1, convNode(shape)) // node
                .string(2, "conv") // name
                .message(5, floatTensor("W", shape.weightDims(), weights.weight())) // initializer
                .message(5, floatTensor("B", new long[] {shape.outChannels()}, weights.bias()))
                .message(11, floatValueInfo(INPUT, shape.inputDims())) // input
                .message(12, floatValueInfo(OUTPUT, shape.outputDims())); // output
        ProtoWriter defaultOpset = new ProtoWriter().varint(2, OPSET); // OperatorSetIdProto.version, domain ""
        return new ProtoWriter()
                .varint(1, IR_VERSION) // ir_version
                .string(2, "bitvision-benchmarks") // producer_name
                .message(7, graph) // graph
                .message(8, defaultOpset) // opset_import
                .toByteArray();
    }

    private static ProtoWriter convNode(ConvShape s) {
        return new ProtoWriter()
                .string(1, INPUT) // input
                .string(1, "W")
                .string(1, "B")
                .string(2, OUTPUT) // output
                .string(3, "conv0") // name
                .string(4, "Conv") // op_type
                .message(5, ints("kernel_shape", s.kernelH(), s.kernelW())) // attribute
                .message(5, ints("strides", s.strideH(), s.strideW()))
                .message(5, ints("pads", s.padH(), s.padW(), s.padH(), s.padW()))
                .message(5, ints("dilations", 1, 1))
                .message(5, integer("group", s.groups()));
    }

    // AttributeProto: name 1, i 3, ints 8, type 20.
    private static ProtoWriter integer(String name, long value) {
        return new ProtoWriter().string(1, name).varint(3, value).varint(20, ATTR_INT);
    }

    private static ProtoWriter ints(String name, long... values) {
        return new ProtoWriter().string(1, name).varints(8, values).varint(20, ATTR_INTS);
    }

    // TensorProto: dims 1, data_type 2, float_data 4, name 8.
    private static ProtoWriter floatTensor(String name, long[] dims, float[] data) {
        return new ProtoWriter()
                .varints(1, dims)
                .varint(2, FLOAT)
                .packedFloats(4, data)
                .string(8, name);
    }

    // ValueInfoProto{name 1, type 2} -> TypeProto{tensor_type 1} -> Tensor{elem_type 1, shape 2}
    // -> TensorShapeProto{dim 1} -> Dimension{dim_value 1}.
    private static ProtoWriter floatValueInfo(String name, long[] dims) {
        ProtoWriter shape = new ProtoWriter();
        for (long dim : dims) {
            shape.message(1, new ProtoWriter().varint(1, dim));
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, FLOAT).message(2, shape);
        return new ProtoWriter()
                .string(1, name)
                .message(2, new ProtoWriter().message(1, tensorType));
    }
}
