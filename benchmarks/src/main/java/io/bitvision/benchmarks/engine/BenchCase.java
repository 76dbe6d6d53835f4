package io.bitvision.benchmarks.engine;

import io.bitvision.benchmarks.engine.onnx.ConvShape;
import io.bitvision.engine.graph.ConvOp;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.kernel.BinaryConvWeights;
import io.bitvision.engine.kernel.ConvGeometry;
import io.bitvision.engine.kernel.OutputTransform;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.BitPacking;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.List;
import java.util.SplittableRandom;

/** The layers `bench engine` measures, each run by our engine and, as float, by ONNX Runtime. */
public enum BenchCase {
    CONV3X3_128_BINARY("conv3x3_128x128_80x60", "binary", 1, 1, ConvGeometry.simple(128, 128, 3, 1, 1), 60, 80),
    CONV3X3_128_BIT4("conv3x3_128x128_80x60", "bit4", 4, 4, ConvGeometry.simple(128, 128, 3, 1, 1), 60, 80),
    DEPTHWISE_STRIP_1X21_BINARY("dwconv1x21_128_80x60", "binary", 1, 1,
            new ConvGeometry(128, 128, 1, 21, 1, 1, 0, 10, 1, 1, 128), 60, 80),
    DEPTHWISE_STRIP_1X21_BIT4("dwconv1x21_128_80x60", "bit4", 4, 4,
            new ConvGeometry(128, 128, 1, 21, 1, 1, 0, 10, 1, 1, 128), 60, 80);

    private final String layer;
    private final String mode;
    private final int inputBits;
    private final int outputBits;
    private final ConvGeometry geometry;
    private final int height;
    private final int width;

    BenchCase(String layer, String mode, int inputBits, int outputBits, ConvGeometry geometry, int height, int width) {
        this.layer = layer;
        this.mode = mode;
        this.inputBits = inputBits;
        this.outputBits = outputBits;
        this.geometry = geometry;
        this.height = height;
        this.width = width;
    }

    public String layer() {
        return layer;
    }

    public String mode() {
        return mode;
    }

    public ConvGeometry geometry() {
        return geometry;
    }

    /** Random words in every channel of every pixel of {@code input}; padding bits past the last channel stay zero. */
    public static void fillInput(BitTensor input, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] data = input.data();
        int words = input.channelWords();
        int channels = input.spec().channels();
        for (int plane = 0; plane < input.spec().bits(); plane++) {
            for (int word = 0; word < words; word++) {
                long valid = BitPacking.validMask(channels, word);
                for (int y = 0; y < input.spec().height(); y++) {
                    for (int x = 0; x < input.spec().width(); x++) {
                        data[input.index(plane, word, y, x)] = rnd.nextLong() & valid;
                    }
                }
            }
        }
    }

    public String shape() {
        ConvGeometry g = geometry;
        return g.inChannels() + "x" + height + "x" + width + " -> " + g.outChannels() + "x" + g.outHeight(height) + "x"
                + g.outWidth(width) + ", kernel " + g.kernelH() + "x" + g.kernelW() + ", groups " + g.groups();
    }

    public long macs() {
        return (long) geometry.outChannels() * geometry.outHeight(height) * geometry.outWidth(width) * geometry.macsPerOutput();
    }

    /** A one-layer model with random weights and thresholds that split the outputs roughly evenly. */
    public Model model() {
        SplittableRandom rnd = new SplittableRandom(42);
        long[] words = new long[BinaryConvWeights.canonicalWords(geometry)];
        for (int i = 0; i < words.length; i++) {
            words[i] = rnd.nextLong();
        }
        long bits = BinaryConvWeights.canonicalBits(geometry);
        if (bits % 64 != 0) {
            words[words.length - 1] &= (1L << (bits % 64)) - 1;
        }
        int channels = geometry.outChannels();
        boolean[] descending = new boolean[channels];
        OutputTransform transform;
        if (outputBits == 1) {
            transform = new OutputTransform.BinaryThreshold(new int[channels], descending);
        } else {
            int levels = OutputTransform.MultiThreshold.levels(outputBits);
            int[] thresholds = new int[channels * levels];
            int spread = (int) Math.sqrt(geometry.macsPerOutput()) * ((1 << inputBits) - 1) / 2 + 1;
            for (int o = 0; o < channels; o++) {
                for (int i = 0; i < levels; i++) {
                    thresholds[o * levels + i] = (i - levels / 2) * spread / levels;
                }
            }
            transform = new OutputTransform.MultiThreshold(outputBits, thresholds, descending);
        }
        ConvOp conv = new ConvOp(inputBits, new BinaryConvWeights(geometry, words), transform);
        TensorSpec input = TensorSpec.bits(inputBits, geometry.inChannels(), height, width);
        return new Model(name().toLowerCase(), "bench", new Graph(input, List.of(new Node(conv, new int[] {0})),
                new int[] {1}, List.of("out")));
    }

    public ConvShape onnxShape() {
        ConvGeometry g = geometry;
        return new ConvShape(g.inChannels(), g.outChannels(), g.kernelH(), g.kernelW(), g.strideH(), g.strideW(),
                g.padH(), g.padW(), g.groups(), height, width);
    }
}
