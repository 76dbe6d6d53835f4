package io.bitvision.benchmarks.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.kernel.KernelStrategy;
import io.bitvision.engine.tensor.BitTensor;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The yardstick must compute what the engine computes, or its rate means nothing: each C family (built for this CPU,
 * for AVX2 and for plain x86-64) gives the engine's reference output word for word on every dense bench case.
 */
class NativeYardstickTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"native", "x86-64-v3", "x86-64-v2"})
    void everyNativeFamilyGivesTheEnginesOutput(String march) throws Exception {
        assumeTrue(!march.equals("x86-64-v3") || cpuHas("avx2"), "CPU lacks AVX2");
        Optional<NativeYardstick> built = NativeYardstick.build(work, march);
        assertTrue(built.isPresent(), "gcc is part of the test set-up (.ci/run installs it); /usr/bin/gcc is missing");
        int checked = 0;
        for (BenchCase c : BenchCase.values()) {
            if (!NativeYardstick.supports(c)) {
                continue;
            }
            InferenceEngine engine = InferenceEngine.builder(c.model()).kernels(KernelStrategy.SCALAR).build();
            BenchCase.fillInput(engine.input(), 11 + checked);
            NativeYardstick.Run run = built.get().run(engine, 1, work);
            engine.run();
            BitTensor out = (BitTensor) engine.output(0);
            int planes = out.spec().bits();
            int words = out.channelWords();
            int h = out.spec().height();
            int w = out.spec().width();
            assertEquals((long) planes * words * h * w, run.outputWords().length, c + ": output size");
            long ones = 0;
            int i = 0;
            for (int plane = 0; plane < planes; plane++) {
                for (int word = 0; word < words; word++) {
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++, i++) {
                            long expected = out.data()[out.index(plane, word, y, x)];
                            if (expected != run.outputWords()[i]) {
                                throw new AssertionError(c + " (" + run.family() + "): plane " + plane + " word " + word
                                        + " at (" + y + ", " + x + "): engine " + Long.toHexString(expected) + ", native "
                                        + Long.toHexString(run.outputWords()[i]));
                            }
                            ones += Long.bitCount(expected);
                        }
                    }
                }
            }
            assertTrue(ones > 0 && ones < 64L * i, c + ": thresholds split the outputs, not all 0 or all 1");
            checked++;
        }
        assertEquals(2, checked, "the binary and bit4 dense cases");
        assertFalse(NativeYardstick.supports(BenchCase.DEPTHWISE_STRIP_1X21_BINARY));
    }

    private static boolean cpuHas(String flag) throws Exception {
        return io.bitvision.engine.kernel.CpuFeatures.current().flags().contains(flag);
    }
}
