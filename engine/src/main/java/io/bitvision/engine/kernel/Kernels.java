package io.bitvision.engine.kernel;

/** Chooses the convolution kernel, with a portable fallback. */
public final class Kernels {
    private static final boolean VECTOR_AVAILABLE = detectVectorApi();

    private Kernels() {}

    /** Whether jdk.incubator.vector was resolved at JVM start (it needs {@code --add-modules}). */
    public static boolean vectorAvailable() {
        return VECTOR_AVAILABLE;
    }

    public static ConvKernel select(KernelStrategy strategy) {
        return switch (strategy) {
            case SCALAR -> new ScalarConvKernel();
            case VECTOR -> {
                if (!VECTOR_AVAILABLE) {
                    throw new IllegalStateException("the Vector API is not available in this JVM: start it with "
                            + "--add-modules jdk.incubator.vector, or use KernelStrategy.SCALAR or AUTO");
                }
                yield VectorKernelHolder.create();
            }
            case AUTO -> VECTOR_AVAILABLE ? VectorKernelHolder.create() : new ScalarConvKernel();
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

        static int lanes() {
            return VectorConvKernel.lanes();
        }
    }
}
