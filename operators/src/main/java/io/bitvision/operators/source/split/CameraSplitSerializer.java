package io.bitvision.operators.source.split;

import io.bitvision.operators.source.CameraSpec;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Serializer of {@link CameraSplit}s in checkpoints and savepoints.
 *
 * <p>Version 1: {@code UTF id, UTF uri, double targetFps, long nextSeq, int optionCount, (UTF key, UTF value)*}
 * with options sorted by key ({@link DataOutputStream} encodings). Version 2 appends {@code UTF model} (the model
 * name the camera asks for; empty for none). A snapshot of every version lives in
 * {@code src/test/resources/source-snapshots/v<N>/} and a test restores it.
 */
public final class CameraSplitSerializer implements SimpleVersionedSerializer<CameraSplit> {
    public static final int CURRENT_VERSION = 2;
    public static final CameraSplitSerializer INSTANCE = new CameraSplitSerializer();

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(CameraSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    @Override
    public CameraSplit deserialize(int version, byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            CameraSplit split = read(version, in);
            if (in.available() > 0) {
                throw new IOException("Trailing " + in.available() + " bytes after a camera split (version "
                        + version + ")");
            }
            return split;
        }
    }

    /** Writes the current version, for state that embeds splits. */
    public void write(CameraSplit split, DataOutputStream out) throws IOException {
        CameraSpec spec = split.spec();
        out.writeUTF(spec.id());
        out.writeUTF(spec.uri());
        out.writeDouble(spec.targetFps());
        out.writeLong(split.nextSeq());
        Map<String, String> options = new TreeMap<>(spec.ffmpegOptions());
        out.writeInt(options.size());
        for (Map.Entry<String, String> e : options.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
        out.writeUTF(spec.model());
    }

    /** Reads a split written by {@link #write} of the given version. */
    public CameraSplit read(int version, DataInputStream in) throws IOException {
        return switch (version) {
            case 1 -> readFields(in, false);
            case 2 -> readFields(in, true);
            default -> throw new IOException("Unknown camera split serializer version " + version
                    + " (this build reads versions 1.." + CURRENT_VERSION + ")");
        };
    }

    private static CameraSplit readFields(DataInputStream in, boolean withModel) throws IOException {
        String id = in.readUTF();
        String uri = in.readUTF();
        double targetFps = in.readDouble();
        long nextSeq = in.readLong();
        int optionCount = in.readInt();
        if (optionCount < 0 || optionCount > 10_000) {
            throw new IOException("Corrupt camera split " + id + ": " + optionCount + " options");
        }
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i < optionCount; i++) {
            options.put(in.readUTF(), in.readUTF());
        }
        String model = withModel ? in.readUTF() : "";
        try {
            return new CameraSplit(new CameraSpec(id, uri, targetFps, options, model), nextSeq);
        } catch (IllegalArgumentException e) {
            throw new IOException("Corrupt camera split " + id + ": " + e.getMessage(), e);
        }
    }
}
