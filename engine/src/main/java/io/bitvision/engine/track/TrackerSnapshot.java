package io.bitvision.engine.track;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a tracker remembers, with a versioned binary form for Flink state. Version 2: u8 version, i64 next id,
 * i32 track count, per track i64 id, i32 class, 4 x f32 box, i64 last seen frame, i32 hits, 2 x f32 velocity.
 * Version 1 (no velocity) is still read, as tracks that have not been seen to move, so state saved before the
 * motion model restores.
 */
public record TrackerSnapshot(long nextId, List<Track> tracks) {
    public static final int CURRENT_VERSION = 2;
    private static final int VERSION_WITHOUT_VELOCITY = 1;
    private static final int MAX_TRACKS = 1 << 16;

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(CURRENT_VERSION);
            out.writeLong(nextId);
            out.writeInt(tracks.size());
            for (Track t : tracks) {
                out.writeLong(t.id());
                out.writeInt(t.classId());
                out.writeFloat(t.box().x());
                out.writeFloat(t.box().y());
                out.writeFloat(t.box().width());
                out.writeFloat(t.box().height());
                out.writeLong(t.lastSeenFrame());
                out.writeInt(t.hits());
                out.writeFloat(t.vx());
                out.writeFloat(t.vy());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
    }

    public static TrackerSnapshot fromBytes(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
        int version = in.readUnsignedByte();
        if (version != CURRENT_VERSION && version != VERSION_WITHOUT_VELOCITY) {
            throw new IOException("tracker snapshot version " + version + " is not supported (supports "
                    + VERSION_WITHOUT_VELOCITY + " and " + CURRENT_VERSION + ")");
        }
        long nextId = in.readLong();
        int count = in.readInt();
        if (count < 0 || count > MAX_TRACKS) {
            throw new IOException("tracker snapshot claims " + count + " tracks");
        }
        List<Track> tracks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long id = in.readLong();
            int classId = in.readInt();
            Box box = new Box(in.readFloat(), in.readFloat(), in.readFloat(), in.readFloat());
            long lastSeen = in.readLong();
            int hits = in.readInt();
            tracks.add(version == VERSION_WITHOUT_VELOCITY ? new Track(id, classId, box, lastSeen, hits)
                    : new Track(id, classId, box, lastSeen, hits, in.readFloat(), in.readFloat()));
        }
        return new TrackerSnapshot(nextId, tracks);
    }
}
