package io.bitvision.schemas;

/** Decodes one record in a JVM of its own and prints "decoded" or why not; run by TrustedPackageTest. */
final class DecodeInFreshJvm {
    private DecodeInFreshJvm() {
    }

    public static void main(String[] args) {
        byte[] message = AvroRecords.encode(new SampleRecords(1).cameraHealth());
        try {
            AvroRecords.decode(message, CameraHealth.class);
            System.out.println("decoded");
        } catch (SecurityException e) {
            System.out.println(e.getMessage());
        }
    }
}
