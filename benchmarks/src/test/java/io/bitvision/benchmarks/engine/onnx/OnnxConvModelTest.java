package io.bitvision.benchmarks.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OnnxConvModelTest {

    private static final long SEED = 7;

    // Non-square images and kernels, and padH != padW, so a swapped H/W anywhere shows up.
    static Stream<ConvShape> shapes() {
        return Stream.of(
                new ConvShape(3, 5, 3, 3, 1, 1, 1, 1, 1, 7, 9),
                new ConvShape(3, 5, 3, 3, 2, 2, 1, 1, 1, 7, 9),
                new ConvShape(4, 6, 3, 5, 2, 1, 1, 2, 2, 8, 6),
                new ConvShape(6, 6, 1, 7, 1, 1, 0, 3, 6, 5, 11));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void ortMatchesNaiveConvolution(ConvShape s) throws Exception {
        byte[] model = OnnxConvModel.conv(s.inChannels(), s.outChannels(), s.kernelH(), s.kernelW(),
                s.strideH(), s.strideW(), s.padH(), s.padW(), s.groups(), s.height(), s.width(), SEED);
        ConvWeights weights = ConvWeights.random(s, SEED);

        try (OrtConvRunner runner = new OrtConvRunner(model, 1)) {
            float[] actual = runner.runAndCopy();
            float[] expected = naiveConv(s, weights, runner.input());

            assertThat(actual).hasSize(s.outChannels() * s.outHeight() * s.outWidth());
            for (int i = 0; i < expected.length; i++) {
                float tolerance = 1e-4f * Math.max(1f, Math.abs(expected[i]));
                if (Math.abs(actual[i] - expected[i]) > tolerance) {
                    fail("output %d: ORT %s, reference %s (%s)", i, actual[i], expected[i], s);
                }
            }
            assertThat(runner.run()).isEqualTo(actual[0]);
        }
    }

    /** Direct NCHW convolution, batch 1, accumulated in double. */
    private static float[] naiveConv(ConvShape s, ConvWeights w, float[] x) {
        int outH = s.outHeight();
        int outW = s.outWidth();
        int inPerGroup = s.inChannelsPerGroup();
        int outPerGroup = s.outChannels() / s.groups();
        float[] y = new float[s.outChannels() * outH * outW];
        for (int oc = 0; oc < s.outChannels(); oc++) {
            int firstIc = (oc / outPerGroup) * inPerGroup;
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    double sum = w.bias()[oc];
                    for (int g = 0; g < inPerGroup; g++) {
                        for (int ky = 0; ky < s.kernelH(); ky++) {
                            int iy = oy * s.strideH() - s.padH() + ky;
                            if (iy < 0 || iy >= s.height()) {
                                continue;
                            }
                            for (int kx = 0; kx < s.kernelW(); kx++) {
                                int ix = ox * s.strideW() - s.padW() + kx;
                                if (ix < 0 || ix >= s.width()) {
                                    continue;
                                }
                                float xv = x[((firstIc + g) * s.height() + iy) * s.width() + ix];
                                float wv = w.weight()[((oc * inPerGroup + g) * s.kernelH() + ky) * s.kernelW() + kx];
                                sum += (double) xv * wv;
                            }
                        }
                    }
                    y[(oc * outH + oy) * outW + ox] = (float) sum;
                }
            }
        }
        return y;
    }
}
