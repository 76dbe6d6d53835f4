package io.bitvision.operators.source.split;

/**
 * Mutable progress of a {@link CameraSplit} inside a reader, advanced on the task thread as records are emitted,
 * so a snapshot always matches what went downstream.
 */
public final class CameraSplitState {
    private final CameraSplit split;
    private long nextSeq;

    public CameraSplitState(CameraSplit split) {
        this.split = split;
        this.nextSeq = split.nextSeq();
    }

    public CameraSplit split() {
        return split;
    }

    public long nextSeq() {
        return nextSeq;
    }

    /** Records that frame number {@code seq} was emitted (as a frame or a dead letter). */
    public void emitted(long seq) {
        if (seq >= nextSeq) {
            nextSeq = seq + 1;
        }
    }

    public CameraSplit toSplit() {
        return split.withNextSeq(nextSeq);
    }
}
