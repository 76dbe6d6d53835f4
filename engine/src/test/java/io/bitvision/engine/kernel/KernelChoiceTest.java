package io.bitvision.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.testing.Randoms;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which family AUTO picks, what is reported of the CPU, and how an operator forces another family. */
class KernelChoiceTest {
    @AfterEach
    void clearForce() {
        System.clearProperty(Kernels.FORCE_PROPERTY);
    }

    @Test
    void onlyAvx512WithVpopcntdqAndUseAvx3GivesAVectorPopcount() {
        CpuFeatures zen4 = new CpuFeatures("zen4", Set.of("avx2", "avx512f", "avx512vl", "avx512_vpopcntdq"), 3);
        CpuFeatures zen3 = new CpuFeatures("zen3", Set.of("avx", "avx2", "popcnt"), 2);
        CpuFeatures capped = new CpuFeatures("zen4 at UseAVX=2", zen4.flags(), 2);
        assertThat(zen4.vectorPopcount()).isTrue();
        assertThat(zen3.vectorPopcount()).isFalse();
        assertThat(capped.vectorPopcount()).as("the JIT may not emit AVX-512 here").isFalse();
        assertThat(zen4.summary()).isEqualTo("zen4 [avx2 avx512_vpopcntdq avx512f avx512vl], UseAVX=3");
    }

    @Test
    void eachCpuGetsTheFamilyItsInstructionsCallFor() {
        CpuFeatures zen4 = new CpuFeatures("zen4", Set.of("avx2", "avx512f", "avx512vl", "avx512_vpopcntdq"), 3);
        CpuFeatures zen3 = new CpuFeatures("zen3", Set.of("avx", "avx2", "popcnt"), 2);
        CpuFeatures capped = new CpuFeatures("zen4 at UseAVX=2", zen4.flags(), 2);
        CpuFeatures skylakeX = new CpuFeatures("skylake-x", Set.of("avx2", "avx512f", "avx512bw"), 3);
        assertThat(Kernels.familyFor(zen4, true)).isEqualTo(KernelStrategy.VECTOR);
        assertThat(Kernels.familyFor(zen3, true)).isEqualTo(KernelStrategy.VECTOR_BYTES);
        assertThat(Kernels.familyFor(capped, true)).isEqualTo(KernelStrategy.VECTOR_BYTES);
        assertThat(Kernels.familyFor(skylakeX, true)).as("AVX-512 without VPOPCNTDQ").isEqualTo(KernelStrategy.VECTOR_BYTES);
        assertThat(Kernels.familyFor(zen4, false)).isEqualTo(KernelStrategy.SCALAR);
    }

    @Test
    void anEngineOnAutoRunsTheFamilyThisCpuCallsFor() {
        CpuFeatures cpu = CpuFeatures.current();
        KernelStrategy expected = cpu.vectorPopcount() ? KernelStrategy.VECTOR : KernelStrategy.VECTOR_BYTES;
        assertThat(Kernels.autoChoice()).as(cpu.summary()).isEqualTo(expected);
        assertThat(engine(KernelStrategy.AUTO).kernelStrategy()).as(cpu.summary()).isEqualTo(expected);
        assertThat(Kernels.describe()).startsWith(expected + " on ").contains("UseAVX=" + cpu.useAvx())
                .contains(cpu.vectorPopcount() ? "vpopcntq" : "nibble lookup");
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
        System.setProperty(Kernels.FORCE_PROPERTY, "Vector");
        assertThat(engine(KernelStrategy.AUTO).kernelStrategy()).isEqualTo(KernelStrategy.VECTOR);
        System.setProperty(Kernels.FORCE_PROPERTY, "scalar");
        // An explicit family in code wins over the property.
        assertThat(engine(KernelStrategy.VECTOR).kernelStrategy()).isEqualTo(KernelStrategy.VECTOR);
        System.setProperty(Kernels.FORCE_PROPERTY, "avx3000");
        assertThatThrownBy(() -> engine(KernelStrategy.AUTO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("avx3000").hasMessageContaining("SCALAR");
    }

    private static InferenceEngine engine(KernelStrategy strategy) {
        SplittableRandom rnd = new SplittableRandom(1);
        ConvGeometry g = ConvGeometry.simple(64, 64, 3, 1, 1);
        OutputTransform t = Randoms.thresholds(rnd, 64, Randoms.dotRange(g, 1), 1);
        return InferenceEngine.builder(Randoms.single(TensorSpec.bits(1, 64, 8, 20), Randoms.conv(rnd, 1, g, t)))
                .kernels(strategy).build();
    }
}
