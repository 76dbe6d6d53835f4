package io.bitvision.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.testing.Randoms;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.Set;
import java.util.SplittableRandom;
import jdk.incubator.vector.LongVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which family AUTO picks, from the CPU's flags and HotSpot's UseAVX, and how an operator forces another. */
class KernelChoiceTest {
    @AfterEach
    void clearForce() {
        System.clearProperty(Kernels.FORCE_PROPERTY);
    }

    @Test
    void vectorWhereverTheVectorApiRunsAndThePopcountIsNamed() {
        CpuFeatures zen4 = new CpuFeatures("zen4", Set.of("avx2", "avx512f", "avx512vl", "avx512_vpopcntdq"), 3);
        CpuFeatures zen3 = new CpuFeatures("zen3", Set.of("avx", "avx2", "popcnt"), 2);
        CpuFeatures capped = new CpuFeatures("zen4 at UseAVX=2", zen4.flags(), 2);
        assertThat(zen4.vectorPopcount()).isTrue();
        assertThat(zen3.vectorPopcount()).isFalse();
        assertThat(capped.vectorPopcount()).as("the JIT may not emit AVX-512 here").isFalse();
        // VECTOR measured fastest with and without VPOPCNTDQ (the JIT emulates BIT_COUNT with vpshufb on AVX2).
        for (CpuFeatures cpu : new CpuFeatures[] {zen4, zen3, capped}) {
            assertThat(Kernels.choiceFor(cpu, true)).as(cpu.model()).isEqualTo(KernelStrategy.VECTOR);
            assertThat(Kernels.choiceFor(cpu, false)).as(cpu.model()).isEqualTo(KernelStrategy.SCALAR);
        }
    }

    @Test
    void anEngineOnAutoRunsTheFamilyThisCpuCallsFor() {
        CpuFeatures cpu = CpuFeatures.current();
        assertThat(Kernels.autoChoice()).as(cpu.summary()).isEqualTo(KernelStrategy.VECTOR);
        assertThat(engine(KernelStrategy.AUTO).kernelStrategy()).isEqualTo(KernelStrategy.VECTOR);
        assertThat(Kernels.describe()).startsWith("VECTOR on ").contains("UseAVX=" + cpu.useAvx())
                .contains(cpu.vectorPopcount() ? "vpopcntq" : "emulated by the JIT");
    }

    @Test
    void readsTheFlagsOfThisMachine() {
        CpuFeatures cpu = CpuFeatures.current();
        if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/cpuinfo"))) {
            assertThat(cpu.flags()).as("flags from /proc/cpuinfo").isNotEmpty();
            assertThat(cpu.model()).isNotEqualTo("unknown CPU");
        }
        assertThat(cpu.useAvx()).isBetween(0, 3);
    }

    @Test
    void theSystemPropertyForcesAFamilyAndABadNameIsRefused() {
        System.setProperty(Kernels.FORCE_PROPERTY, "scalar");
        assertThat(engine(KernelStrategy.AUTO).kernelStrategy()).isEqualTo(KernelStrategy.SCALAR);
        assertThat(Kernels.describe()).contains("forced by -Dbitvision.kernel");
        System.setProperty(Kernels.FORCE_PROPERTY, "vector_swar");
        assertThat(engine(KernelStrategy.AUTO).kernelStrategy()).isEqualTo(KernelStrategy.VECTOR_SWAR);
        // An explicit family in code wins over the property.
        assertThat(engine(KernelStrategy.VECTOR).kernelStrategy()).isEqualTo(KernelStrategy.VECTOR);
        System.setProperty(Kernels.FORCE_PROPERTY, "avx3000");
        assertThatThrownBy(() -> engine(KernelStrategy.AUTO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("avx3000").hasMessageContaining("VECTOR_SWAR");
    }

    @Test
    void swarByteCountsAndTheirSumsAreExactPopcounts() {
        SplittableRandom rnd = new SplittableRandom(13);
        long[] words = new long[VectorConvKernel.LANES];
        for (int round = 0; round < 20_000; round++) {
            for (int i = 0; i < words.length; i++) {
                int kind = rnd.nextInt(4);
                words[i] = kind == 0 ? -1L : kind == 1 ? 0L : kind == 2 ? 1L << rnd.nextInt(64) : rnd.nextLong();
            }
            LongVector x = LongVector.fromArray(VectorConvKernel.SPECIES, words, 0);
            LongVector bytes = SwarVectorConvKernel.byteCounts(x);
            long[] counts = SwarVectorConvKernel.sumBytes(bytes).toLongArray();
            // Byte accumulators after a full flush window: every byte up to 31 x 8.
            long[] window = SwarVectorConvKernel.sumBytes(bytes.mul(SwarVectorConvKernel.WORDS_PER_FLUSH)).toLongArray();
            for (int i = 0; i < words.length; i++) {
                assertThat(counts[i]).as("popcount of %x", words[i]).isEqualTo(Long.bitCount(words[i]));
                assertThat(window[i]).isEqualTo(31L * Long.bitCount(words[i]));
            }
        }
    }

    private static InferenceEngine engine(KernelStrategy strategy) {
        SplittableRandom rnd = new SplittableRandom(1);
        ConvGeometry g = ConvGeometry.simple(64, 64, 3, 1, 1);
        OutputTransform t = Randoms.thresholds(rnd, 64, Randoms.dotRange(g, 1), 1);
        return InferenceEngine.builder(Randoms.single(TensorSpec.bits(1, 64, 8, 20), Randoms.conv(rnd, 1, g, t)))
                .kernels(strategy).build();
    }
}
