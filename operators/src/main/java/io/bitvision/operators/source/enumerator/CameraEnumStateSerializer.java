package io.bitvision.operators.source.enumerator;

import io.bitvision.operators.source.split.CameraSplit;
import io.bitvision.operators.source.split.CameraSplitSerializer;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Serializer of {@link CameraEnumState}.
 *
 * <p>Version 1: {@code int splitSerializerVersion, int unassignedCount, split*, int assignedCount, UTF id*}, each
 * split in the layout of {@link CameraSplitSerializer} at {@code splitSerializerVersion}; assigned ids sorted.
 */
public final class CameraEnumStateSerializer implements SimpleVersionedSerializer<CameraEnumState> {
    public static final int CURRENT_VERSION = 1;
    private static final int MAX_ENTRIES = 1_000_000;

    private final CameraSplitSerializer splits = CameraSplitSerializer.INSTANCE;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(CameraEnumState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(splits.getVersion());
            out.writeInt(state.unassigned().size());
            for (CameraSplit split : state.unassigned()) {
                splits.write(split, out);
            }
            Set<String> ids = new TreeSet<>(state.assignedCameraIds());
            out.writeInt(ids.size());
            for (String id : ids) {
                out.writeUTF(id);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public CameraEnumState deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("Unknown camera enumerator state serializer version " + version
                    + " (this build reads versions 1.." + CURRENT_VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int splitVersion = in.readInt();
            int unassignedCount = checkedCount(in.readInt(), "unassigned splits");
            List<CameraSplit> unassigned = new ArrayList<>(unassignedCount);
            for (int i = 0; i < unassignedCount; i++) {
                unassigned.add(splits.read(splitVersion, in));
            }
            int assignedCount = checkedCount(in.readInt(), "assigned camera ids");
            Set<String> assigned = new TreeSet<>();
            for (int i = 0; i < assignedCount; i++) {
                assigned.add(in.readUTF());
            }
            if (in.available() > 0) {
                throw new IOException("Trailing " + in.available() + " bytes after camera enumerator state");
            }
            return new CameraEnumState(unassigned, assigned);
        }
    }

    private static int checkedCount(int count, String what) throws IOException {
        if (count < 0 || count > MAX_ENTRIES) {
            throw new IOException("Corrupt camera enumerator state: " + count + " " + what);
        }
        return count;
    }
}
