package io.bitvision.benchmarks.live;

/** Which packages Avro may deserialize in a bench's JVM, which also runs the MiniCluster. */
public final class AvroPackages {
    static final String SERIALIZABLE_PACKAGES = "org.apache.avro.SERIALIZABLE_PACKAGES";

    private AvroPackages() {
    }

    /** Lets Avro deserialize our generated classes, unless the property is set otherwise already. */
    public static void trustOurs() {
        if (System.getProperty(SERIALIZABLE_PACKAGES) == null) {
            System.setProperty(SERIALIZABLE_PACKAGES, "io.bitvision.schemas");
        }
    }
}
