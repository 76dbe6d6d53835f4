package io.bitvision.operators.source.split;

import io.bitvision.operators.source.CameraSpec;
import org.apache.flink.api.connector.source.SourceSplit;

import java.util.Map;
import java.util.Objects;

/**
 * One camera, the unit of work of {@code VideoSource}: immutable. The split id is the camera id. {@link #nextSeq()}
 * is where reading resumes: for a {@link InputKind#FILE} the index of the next frame to emit (restore skips to it),
 * for a {@link InputKind#LIVE} stream the frame number the next frame gets (last emitted {@code frameSeq} + 1; the
 * stream itself resumes live). The mutable progress while reading is {@link CameraSplitState}.
 */
public final class CameraSplit implements SourceSplit {
    private final CameraSpec spec;
    private final long nextSeq;

    public CameraSplit(CameraSpec spec, long nextSeq) {
        this.spec = Objects.requireNonNull(spec, "spec");
        if (nextSeq < 0) {
            throw new IllegalArgumentException("nextSeq must be >= 0, got " + nextSeq);
        }
        this.nextSeq = nextSeq;
    }

    public static CameraSplit fresh(CameraSpec spec) {
        return new CameraSplit(spec, 0);
    }

    @Override
    public String splitId() {
        return spec.id();
    }

    public CameraSpec spec() {
        return spec;
    }

    public String cameraId() {
        return spec.id();
    }

    public String uri() {
        return spec.uri();
    }

    public double targetFps() {
        return spec.targetFps();
    }

    public Map<String, String> ffmpegOptions() {
        return spec.ffmpegOptions();
    }

    public InputKind kind() {
        return InputKind.of(spec.uri());
    }

    public long nextSeq() {
        return nextSeq;
    }

    public CameraSplit withNextSeq(long seq) {
        return seq == nextSeq ? this : new CameraSplit(spec, seq);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CameraSplit s && s.nextSeq == nextSeq && s.spec.equals(spec);
    }

    @Override
    public int hashCode() {
        return Objects.hash(spec, nextSeq);
    }

    @Override
    public String toString() {
        return "CameraSplit{" + spec.id() + " " + io.bitvision.operators.security.Redaction.text(spec.uri()) + " " + kind() + " nextSeq=" + nextSeq
                + (spec.targetFps() > 0 ? " targetFps=" + spec.targetFps() : "") + "}";
    }
}
