package io.bitvision.engine.kernel;

/**
 * Which kernel family runs the convolutions. Engines default to {@link #AUTO}, which picks one from the CPU
 * ({@link Kernels#autoChoice()}); tests and benchmarks force one, and so does {@code -Dbitvision.kernel=NAME}.
 */
public enum KernelStrategy {
    /** Plain Java with {@link Long#bitCount} ({@code popcnt}): works on every JVM. */
    SCALAR,
    /**
     * Vector API, pixels in lanes; BIT_COUNT is one instruction with AVX-512 VPOPCNTDQ; on AVX2 C2 builds it from a
     * nibble lookup plus a vpsadbw per word (read in its listing). Needs jdk.incubator.vector.
     */
    VECTOR,
    /**
     * Vector API, pixels in lanes, counts per byte (nibble lookup) summed in byte lanes and widened every 31 words:
     * for CPUs without a 64-bit vector popcount (AVX2). Needs jdk.incubator.vector.
     */
    VECTOR_BYTES,
    /** The family the CPU calls for: see {@link Kernels#autoChoice()}. */
    AUTO;

    public boolean needsVectorApi() {
        return this == VECTOR || this == VECTOR_BYTES;
    }
}
