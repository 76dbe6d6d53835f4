package io.bitvision.engine.kernel;

/** Which kernel family runs the convolutions. Tests and benchmarks force one; engines default to {@link #AUTO}. */
public enum KernelStrategy {
    /** Plain Java with {@link Long#bitCount}: works on every JVM. */
    SCALAR,
    /** jdk.incubator.vector, pixels in vector lanes; needs {@code --add-modules jdk.incubator.vector}. */
    VECTOR,
    /** VECTOR where the module is present, SCALAR otherwise. */
    AUTO
}
