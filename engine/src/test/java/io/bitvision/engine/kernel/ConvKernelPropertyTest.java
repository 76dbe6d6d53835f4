package io.bitvision.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.graph.ConvOp;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.reference.RefTensor;
import io.bitvision.engine.reference.ReferenceOps;
import io.bitvision.engine.testing.Checks;
import io.bitvision.engine.testing.Randoms;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kernel family this JVM runs (scalar, vector) against the plain reference, bit for bit, over thousands of random
 * convolutions: both operation modes, awkward channel counts, strips, groups, depthwise, strides, dilations,
 * padding, and every output transform.
 */
class ConvKernelPropertyTest {
    private static final int[] CHANNELS = {1, 2, 3, 5, 8, 31, 33, 63, 64, 65, 100, 128, 130};
    private static final long MAC_BUDGET = 250_000;

    @Test
    void vectorApiIsAvailableInTests() {
        // Surefire starts the JVM with --add-modules jdk.incubator.vector; without it the vector families below
        // would silently test nothing new.
        assertThat(Kernels.vectorAvailable()).isTrue();
        assertThat(Kernels.runnable()).containsExactly(KernelStrategy.SCALAR, KernelStrategy.VECTOR,
                KernelStrategy.VECTOR_BYTES);
    }

    @Test
    void weightedSumRowsRoundLikeTheScalarLoopInEveryFamily() {
        SplittableRandom rnd = new SplittableRandom(17);
        for (int i = 0; i < 500; i++) {
            int width = 1 + rnd.nextInt(100);
            int count = 1 + rnd.nextInt(80);
            int wFrom = rnd.nextInt(5);
            float[] w = new float[wFrom + count];
            float[] src = new float[count * width];
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) rnd.nextDouble(-3, 3);
            }
            for (int k = 0; k < src.length; k++) {
                src[k] = rnd.nextInt(4) == 0 ? (float) rnd.nextDouble(-1e6, 1e6) : rnd.nextInt(16);
            }
            float bias = (float) rnd.nextDouble(-2, 2);
            int to = rnd.nextInt(7);
            float[] expected = new float[to + width];
            for (int x = 0; x < width; x++) {
                float sum = 0f;
                for (int c = 0; c < count; c++) {
                    sum += w[wFrom + c] * src[c * width + x];
                }
                expected[to + x] = sum + bias;
            }
            for (KernelStrategy strategy : Kernels.runnable()) {
                float[] actual = new float[to + width];
                Kernels.select(strategy).weightedSumRow(w, wFrom, count, src, width, bias, actual, to);
                for (int x = 0; x < expected.length; x++) {
                    assertThat(Float.floatToIntBits(actual[x])).as("%s case %d at %d", strategy, i, x)
                            .isEqualTo(Float.floatToIntBits(expected[x]));
                }
            }
        }
    }

    @Test
    void randomConvolutionsMatchReferenceBitForBit() {
        SplittableRandom rnd = new SplittableRandom(20261127L);
        int cases = 0;
        int vectorTiles = 0;
        while (cases < 3000) {
            long seed = rnd.nextLong();
            Case c = Case.random(new SplittableRandom(seed));
            if (c == null) {
                continue;
            }
            cases++;
            if (c.geometry.groups() == 1 && c.geometry.strideW() == 1 && c.outW >= 16) {
                vectorTiles++;
            }
            check(c, seed);
        }
        assertThat(vectorTiles).as("cases that exercise the vector tile").isGreaterThan(500);
    }

    @ParameterizedTest(name = "{0}-bit input, 128->128 3x3 at {1}x{2}")
    @CsvSource({"1, 20, 37", "4, 12, 40", "8, 9, 33"})
    void fullWidthLayersMatchReference(int inputBits, int height, int width) {
        SplittableRandom rnd = new SplittableRandom(inputBits * 31L + width);
        ConvGeometry g = ConvGeometry.simple(128, 128, 3, 1, 1);
        OutputTransform t = Randoms.thresholds(rnd, 128, Randoms.dotRange(g, inputBits), 1);
        Case c = new Case(TensorSpec.bits(inputBits, 128, height, width), g, Randoms.conv(rnd, inputBits, g, t), width);
        check(c, rnd.nextLong());
    }

    /** Long reductions (more than 31 words per output: more than a byte counter could hold), few random cases reach. */
    @ParameterizedTest(name = "{0}-bit input, {1}->{2} {3}x{4} at {5}x{6}")
    @CsvSource({"1, 256, 16, 3, 3, 6, 40", "3, 130, 12, 5, 5, 7, 36", "1, 128, 20, 1, 21, 3, 52", "2, 640, 8, 3, 3, 5, 33",
            "8, 64, 8, 7, 7, 9, 34"})
    void longReductionsMatchReference(int inputBits, int in, int out, int kh, int kw, int height, int width) {
        SplittableRandom rnd = new SplittableRandom(in * 7919L + kh * 31L + inputBits);
        ConvGeometry g = new ConvGeometry(in, out, kh, kw, 1, 1, kh / 2, kw / 2, 1, 1, 1);
        assertThat(g.taps() * ((in + 63) / 64)).isGreaterThan(31);
        OutputTransform t = Randoms.transform(rnd, out, Randoms.dotRange(g, inputBits));
        Case c = new Case(TensorSpec.bits(inputBits, in, height, width), g, Randoms.conv(rnd, inputBits, g, t), width);
        check(c, rnd.nextLong());
    }

    @Test
    void byteCountersShareAWideningOnlyWhileNoByteCanPass255() {
        assertThat(ByteCountConvKernel.planesPerWidening(1)).isEqualTo(5); // 8 * 31 = 248
        assertThat(ByteCountConvKernel.planesPerWidening(10)).isEqualTo(2); // 80 * 3 = 240
        assertThat(ByteCountConvKernel.planesPerWidening(11)).isEqualTo(1); // 88 * 3 = 264
        assertThat(ByteCountConvKernel.planesPerWidening(31)).isEqualTo(1);
        assertThat(ByteCountConvKernel.planesPerWidening(32)).isZero();
    }

    /**
     * Depthwise layers with every tap count around the vector kernel's carry-save blocks of 8 (fewer than 2, 4 and 8
     * taps leave registers unused; 8k + r taps leave r for the one-at-a-time path), binary and k-bit, binary and
     * k-bit outputs; random weights and inputs make every count from 0 to the taps appear in some channel.
     */
    @ParameterizedTest(name = "depthwise {0}x{1}, {2}-bit input, {3}-bit output")
    @CsvSource({"1, 2, 1, 1", "2, 2, 2, 2", "1, 3, 4, 1", "1, 4, 1, 2", "2, 3, 2, 1", "1, 8, 1, 1", "2, 4, 4, 2",
            "3, 3, 1, 2", "3, 4, 2, 1", "1, 15, 1, 1", "4, 4, 4, 1", "1, 17, 2, 2", "3, 8, 1, 1", "5, 5, 3, 2",
            "1, 21, 4, 2", "7, 7, 1, 1", "1, 24, 2, 1"})
    void depthwiseLayersOfEveryTapCountMatchReference(int kh, int kw, int inputBits, int outputBits) {
        SplittableRandom rnd = new SplittableRandom(kh * 101L + kw * 7L + inputBits);
        int channels = 130;
        ConvGeometry g = new ConvGeometry(channels, channels, kh, kw, 1, 1, kh / 2, kw / 2, 1, 1, channels);
        OutputTransform t = Randoms.thresholds(rnd, channels, Randoms.dotRange(g, inputBits), outputBits);
        ConvOp conv = Randoms.conv(rnd, inputBits, g, t);
        for (int width : new int[] {37, 64}) {
            check(new Case(TensorSpec.bits(inputBits, channels, 6, width), g, conv, width), rnd.nextLong());
        }
    }

    /**
     * Every input and weight bit at its extreme, so that every word adds 8 to every byte counter of the byte-count
     * kernel: a counter widened one word or one doubling too late wraps, and the int32 outputs show it.
     */
    @ParameterizedTest(name = "{0}-bit input, {1}->{2} {3}x{3}, weights {4}, inputs {5}")
    @CsvSource({"1, 256, 8, 3, 0, 0", "1, 256, 8, 3, -1, 0", "2, 2048, 4, 1, -1, 0", "2, 2048, 4, 1, 0, 1",
            "4, 640, 4, 3, -1, 0", "4, 640, 4, 3, 0, 1", "8, 64, 8, 7, -1, 0", "8, 64, 8, 7, 0, 1", "8, 64, 4, 1, 0, 1",
            "3, 2048, 4, 1, -1, 0", "2, 640, 4, 1, -1, 0", "2, 640, 4, 1, 0, 1", "8, 192, 4, 1, -1, 0",
            "8, 192, 4, 1, 0, 1", "4, 64, 4, 1, 0, 1", "8, 320, 4, 1, 0, 1"})
    void saturatedCountersMatchReference(int inputBits, int in, int out, int k, long weightWord, int inputMax) {
        ConvGeometry g = ConvGeometry.simple(in, out, k, 1, k / 2);
        long[] weights = new long[BinaryConvWeights.canonicalWords(g)];
        java.util.Arrays.fill(weights, weightWord);
        int used = (int) (BinaryConvWeights.canonicalBits(g) % 64);
        if (used != 0) {
            weights[weights.length - 1] &= (1L << used) - 1;
        }
        ConvOp conv = new ConvOp(inputBits, new BinaryConvWeights(g, weights), new OutputTransform.IntBias(new int[out]));
        Model model = Randoms.single(TensorSpec.bits(inputBits, in, 5, 37), conv);
        int value = inputBits == 1 ? (inputMax == 1 ? 1 : -1) : (inputMax == 1 ? (1 << inputBits) - 1 : 0);
        RefTensor expected = null;
        for (KernelStrategy strategy : Kernels.runnable()) {
            InferenceEngine engine = InferenceEngine.builder(model).kernels(strategy).build();
            engine.input().clear();
            for (int c = 0; c < in; c++) {
                for (int y = 0; y < 5; y++) {
                    for (int x = 0; x < 37; x++) {
                        engine.input().setValue(c, y, x, value);
                    }
                }
            }
            if (expected == null) {
                expected = ReferenceOps.run(model, RefTensor.of(engine.input()))[1];
            }
            engine.run();
            RefTensor actual = RefTensor.of(engine.output(0));
            assertThat(actual.sameAs(expected)).as("%s: first difference %s", strategy, actual.firstDifference(expected))
                    .isTrue();
        }
    }

    private static void check(Case c, long seed) {
        Model model = Randoms.single(c.input, c.conv);
        RefTensor expected = null;
        for (KernelStrategy strategy : Kernels.runnable()) {
            InferenceEngine engine = InferenceEngine.builder(model).kernels(strategy).build();
            Randoms.fill(new SplittableRandom(seed), engine.input());
            if (expected == null) {
                expected = ReferenceOps.run(model, RefTensor.of(engine.input()))[1];
            }
            engine.run();
            RefTensor actual = RefTensor.of(engine.output(0));
            assertThat(actual.sameAs(expected))
                    .as("%s %s on %s, seed %d: first difference %s", strategy, c.geometry, c.input, seed,
                            actual.firstDifference(expected))
                    .isTrue();
            assertThat(Checks.dirtyPadding(engine.output(0))).as("%s %s padding", strategy, c.geometry).isNull();
        }
    }

    private record Case(TensorSpec input, ConvGeometry geometry, ConvOp conv, int outW) {
        static Case random(SplittableRandom rnd) {
            int inputBits = rnd.nextBoolean() ? 1 : 2 + rnd.nextInt(7);
            int inC = CHANNELS[rnd.nextInt(CHANNELS.length)];
            int kind = rnd.nextInt(5);
            int kh;
            int kw;
            int groups = 1;
            int outC;
            switch (kind) {
                case 0, 1 -> { // dense k x k
                    kh = kw = new int[] {1, 3, 3, 5}[rnd.nextInt(4)];
                    outC = CHANNELS[rnd.nextInt(CHANNELS.length)];
                }
                case 2 -> { // strip 1 x k or k x 1
                    int k = new int[] {3, 7, 11, 21}[rnd.nextInt(4)];
                    boolean horizontal = rnd.nextBoolean();
                    kh = horizontal ? 1 : k;
                    kw = horizontal ? k : 1;
                    outC = CHANNELS[rnd.nextInt(CHANNELS.length)];
                }
                case 3 -> { // depthwise, maybe a strip
                    kh = new int[] {1, 3, 5, 7}[rnd.nextInt(4)];
                    kw = rnd.nextBoolean() ? kh : new int[] {1, 7, 11}[rnd.nextInt(3)];
                    groups = inC;
                    outC = inC * (1 + rnd.nextInt(2));
                }
                default -> { // grouped
                    kh = kw = 1 + 2 * rnd.nextInt(2);
                    int[] divisors = java.util.stream.IntStream.rangeClosed(1, inC).filter(d -> inC % d == 0).toArray();
                    groups = divisors[rnd.nextInt(divisors.length)];
                    outC = groups * (1 + rnd.nextInt(3));
                }
            }
            int stride = rnd.nextInt(5) == 0 ? 2 : 1;
            int strideH = rnd.nextInt(6) == 0 ? 2 : stride;
            int dilation = rnd.nextInt(6) == 0 ? 2 : 1;
            int padH = rnd.nextInt(kh / 2 * dilation + 1);
            int padW = rnd.nextInt(kw / 2 * dilation + 1);
            int height = 1 + rnd.nextInt(10);
            int width = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(15) : 16 + rnd.nextInt(30);
            ConvGeometry g = new ConvGeometry(inC, outC, kh, kw, strideH, stride, padH, padW, dilation, dilation, groups);
            if (!g.fitsInput(height, width)) {
                return null;
            }
            int outW = g.outWidth(width);
            long macs = (long) outC * g.outHeight(height) * outW * g.macsPerOutput();
            if (macs > MAC_BUDGET) {
                return null;
            }
            OutputTransform t = Randoms.transform(rnd, outC, Randoms.dotRange(g, inputBits));
            return new Case(TensorSpec.bits(inputBits, inC, height, width), g, Randoms.conv(rnd, inputBits, g, t), outW);
        }
    }
}
