package io.bitvision.engine.kernel;

/**
 * Which kernel family runs the convolutions. Engines default to {@link #AUTO}, which picks one from the CPU
 * ({@link Kernels#autoChoice()}); tests and benchmarks force one, and so does {@code -Dbitvision.kernel=NAME}.
 */
public enum KernelStrategy {
    /** Plain Java with {@link Long#bitCount} ({@code popcnt}): works on every JVM. */
    SCALAR,
    /** Vector API with the hardware vector popcount: AVX-512 VPOPCNTDQ. Needs jdk.incubator.vector. */
    VECTOR,
    /** Vector API with popcount done in bytes (SWAR), meant for AVX2; exact but slower than VECTOR so far. */
    VECTOR_SWAR,
    /** The family the CPU calls for: see {@link Kernels#autoChoice()}. */
    AUTO;

    public boolean needsVectorApi() {
        return this == VECTOR || this == VECTOR_SWAR;
    }
}
