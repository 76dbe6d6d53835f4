package io.bitvision.engine.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Chooses the convolution kernel family from the CPU, with a portable fallback. */
public final class Kernels {
    /** System property that forces the family {@link KernelStrategy#AUTO} resolves to. */
    public static final String FORCE_PROPERTY = "bitvision.kernel";

    private static final boolean VECTOR_AVAILABLE = detectVectorApi();

    private Kernels() {}

    /** Whether jdk.incubator.vector was resolved at JVM start (it needs {@code --add-modules}). */
    public static boolean vectorAvailable() {
        return VECTOR_AVAILABLE;
    }

    /**
     * The family AUTO runs: {@code -Dbitvision.kernel} when set; else {@link #familyFor} this CPU and JVM.
     */
    public static KernelStrategy autoChoice() {
        String forced = System.getProperty(FORCE_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            KernelStrategy strategy = parse(forced);
            if (strategy != KernelStrategy.AUTO) {
                return strategy;
            }
        }
        return familyFor(CpuFeatures.current(), VECTOR_AVAILABLE);
    }

    /**
     * The family a CPU calls for, measured in docs/performance.md: VECTOR where the JIT emits a 64-bit vector
     * popcount (AVX-512 VPOPCNTDQ at UseAVX=3); VECTOR_BYTES on every other CPU the Vector API runs on (at UseAVX=2
     * it beat VECTOR, whose BIT_COUNT the JIT builds from the same nibble lookup plus a sum per word; AVX-512 without
     * VPOPCNTDQ, such as Skylake-X, follows the same reasoning but was not measured); SCALAR without the Vector API.
     */
    public static KernelStrategy familyFor(CpuFeatures cpu, boolean vectorApi) {
        if (!vectorApi) {
            return KernelStrategy.SCALAR;
        }
        return cpu.vectorPopcount() ? KernelStrategy.VECTOR : KernelStrategy.VECTOR_BYTES;
    }

    /** The families this JVM can run: SCALAR always, the vector ones with the Vector API. */
    public static List<KernelStrategy> runnable() {
        List<KernelStrategy> families = new ArrayList<>(List.of(KernelStrategy.SCALAR));
        if (VECTOR_AVAILABLE) {
            families.add(KernelStrategy.VECTOR);
            families.add(KernelStrategy.VECTOR_BYTES);
        }
        return families;
    }

    /** What runs and why, for logs and reports. */
    public static String describe() {
        String forced = System.getProperty(FORCE_PROPERTY);
        return autoChoice() + (forced != null && !forced.isBlank() ? " (forced by -D" + FORCE_PROPERTY + ")" : "")
                + " on " + CpuFeatures.current().summary() + (VECTOR_AVAILABLE ? ", Vector API "
                + VectorKernelHolder.lanes() * 64 + "-bit, popcount " + (CpuFeatures.current().vectorPopcount()
                ? "vpopcntq (AVX-512 VPOPCNTDQ)" : "by nibble lookup (no VPOPCNTDQ at this UseAVX)") : ", no Vector API");
    }

    static KernelStrategy parse(String name) {
        try {
            return KernelStrategy.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + FORCE_PROPERTY + "=" + name + " is not a kernel family; use one of "
                    + java.util.Arrays.toString(KernelStrategy.values()), e);
        }
    }

    public static ConvKernel select(KernelStrategy strategy) {
        KernelStrategy family = strategy == KernelStrategy.AUTO ? autoChoice() : strategy;
        if (family.needsVectorApi() && !VECTOR_AVAILABLE) {
            throw new IllegalStateException("the Vector API is not available in this JVM for " + family + ": start it "
                    + "with --add-modules jdk.incubator.vector, or use KernelStrategy.SCALAR or AUTO");
        }
        return switch (family) {
            case SCALAR -> new ScalarConvKernel();
            case VECTOR -> VectorKernelHolder.create();
            case VECTOR_BYTES -> VectorKernelHolder.createByteCount();
            case AUTO -> throw new AssertionError("AUTO resolves to a family");
        };
    }

    private static boolean detectVectorApi() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorKernelHolder.lanes() >= 2;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** Keeps every reference to jdk.incubator.vector behind a class that loads only when the module is there. */
    private static final class VectorKernelHolder {
        static ConvKernel create() {
            return new VectorConvKernel();
        }

        static ConvKernel createByteCount() {
            return new ByteCountConvKernel();
        }

        static int lanes() {
            return VectorConvKernel.lanes();
        }
    }
}
