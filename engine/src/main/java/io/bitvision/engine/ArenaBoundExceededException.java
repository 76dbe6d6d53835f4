package io.bitvision.engine;

/** An engine was asked to run a model whose memory plan needs more bytes than the engine's bound allows. */
public final class ArenaBoundExceededException extends RuntimeException {
    private final long requiredBytes;
    private final long boundBytes;

    public ArenaBoundExceededException(String modelName, long requiredBytes, long boundBytes) {
        super("model '" + modelName + "' needs an arena of " + requiredBytes + " bytes, over this engine's bound of "
                + boundBytes + " bytes");
        this.requiredBytes = requiredBytes;
        this.boundBytes = boundBytes;
    }

    public long requiredBytes() {
        return requiredBytes;
    }

    public long boundBytes() {
        return boundBytes;
    }
}
