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
     * The family AUTO runs: {@code -Dbitvision.kernel} when set; else VECTOR wherever the Vector API runs, SCALAR
     * without it. VECTOR is the fastest family measured on both kinds of x86 CPU: its BIT_COUNT is {@code vpopcntq}
     * with AVX-512 VPOPCNTDQ, and on AVX2 C2 emits a {@code vpshufb} nibble lookup for it (JDK 25), which beat
     * VECTOR_SWAR (see {@link SwarVectorConvKernel}) and SCALAR at UseAVX=2.
     */
    public static KernelStrategy autoChoice() {
        String forced = System.getProperty(FORCE_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            KernelStrategy strategy = parse(forced);
            if (strategy != KernelStrategy.AUTO) {
                return strategy;
            }
        }
        return choiceFor(CpuFeatures.current(), VECTOR_AVAILABLE);
    }

    /** The family the CPU features call for (what AUTO picks when nothing is forced). */
    public static KernelStrategy choiceFor(CpuFeatures cpu, boolean vectorApi) {
        if (!vectorApi) {
            return KernelStrategy.SCALAR;
        }
        return KernelStrategy.VECTOR;
    }

    /** The families this JVM can run: SCALAR always, the vector ones with the Vector API. */
    public static List<KernelStrategy> runnable() {
        List<KernelStrategy> families = new ArrayList<>(List.of(KernelStrategy.SCALAR));
        if (VECTOR_AVAILABLE) {
            families.add(KernelStrategy.VECTOR);
            families.add(KernelStrategy.VECTOR_SWAR);
        }
        return families;
    }

    /** What runs and why, for logs and reports. */
    public static String describe() {
        String forced = System.getProperty(FORCE_PROPERTY);
        return autoChoice() + (forced != null && !forced.isBlank() ? " (forced by -D" + FORCE_PROPERTY + ")" : "")
                + " on " + CpuFeatures.current().summary() + (VECTOR_AVAILABLE ? ", Vector API "
                + VectorKernelHolder.lanes() * 64 + "-bit, popcount " + (CpuFeatures.current().vectorPopcount()
                ? "vpopcntq (AVX-512 VPOPCNTDQ)" : "emulated by the JIT (no VPOPCNTDQ at this UseAVX)") : ", no Vector API");
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
            case VECTOR -> VectorKernelHolder.create(false);
            case VECTOR_SWAR -> VectorKernelHolder.create(true);
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
        static ConvKernel create(boolean swar) {
            return swar ? new SwarVectorConvKernel() : new VectorConvKernel();
        }

        static int lanes() {
            return VectorConvKernel.lanes();
        }
    }
}
