package io.bitvision.operators.source.testing;

import io.bitvision.operators.source.CameraSpec;
import io.bitvision.operators.source.enumerator.CameraEnumState;
import io.bitvision.operators.source.enumerator.CameraEnumStateSerializer;
import io.bitvision.operators.source.split.CameraSplit;
import io.bitvision.operators.source.split.CameraSplitSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The objects behind the committed binary snapshots in {@code src/test/resources/source-snapshots/v<N>/}.
 *
 * <p>When a serializer version is bumped, run {@link #main} once with the new version's directory
 * ({@code operators/src/test/resources/source-snapshots/v2}) and commit the files; never regenerate an old
 * version's files: they stand for state written by jobs that ran that version.
 */
public final class SourceSnapshots {
    public static final CameraSplit LIVE_SPLIT = new CameraSplit(
            new CameraSpec("lobby-cam", "rtsp://10.0.0.7:554/stream1", 5.0,
                    Map.of("rtsp_transport", "udp", "max_delay", "500000")),
            123_456_789L);
    public static final CameraSplit FILE_SPLIT = new CameraSplit(
            new CameraSpec("vtest", "/usr/share/doc/opencv-doc/examples/data/vtest.avi", 0), 100);
    public static final CameraEnumState ENUM_STATE = new CameraEnumState(
            List.of(FILE_SPLIT, CameraSplit.fresh(new CameraSpec("gate", "http://10.0.0.9/video.mjpg", 2.5))),
            Set.of("lobby-cam", "yard"));
    /** Version 2: a registered camera that asks for a model of its own. */
    public static final CameraSplit MODEL_SPLIT = new CameraSplit(
            new CameraSpec("aisle-3", "rtsp://10.0.0.12/live", 10.0, Map.of(), "store-aisle.v2"), 42);
    public static final CameraEnumState ENUM_STATE_WITH_MODEL = new CameraEnumState(
            List.of(FILE_SPLIT, MODEL_SPLIT), Set.of("lobby-cam"));

    public static final String LIVE_SPLIT_FILE = "camera-split-live.bin";
    public static final String FILE_SPLIT_FILE = "camera-split-file.bin";
    public static final String ENUM_STATE_FILE = "camera-enum-state.bin";
    public static final String MODEL_SPLIT_FILE = "camera-split-model.bin";
    public static final String ENUM_STATE_WITH_MODEL_FILE = "camera-enum-state-model.bin";

    private SourceSnapshots() {}

    /** Bytes of a committed snapshot, e.g. {@code read(1, LIVE_SPLIT_FILE)}. */
    public static byte[] read(int version, String name) throws IOException {
        String resource = "/source-snapshots/v" + version + "/" + name;
        try (InputStream in = SourceSnapshots.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing snapshot " + resource);
            }
            return in.readAllBytes();
        }
    }

    /** Writes the current version's snapshots into {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        Files.write(dir.resolve(LIVE_SPLIT_FILE), CameraSplitSerializer.INSTANCE.serialize(LIVE_SPLIT));
        Files.write(dir.resolve(FILE_SPLIT_FILE), CameraSplitSerializer.INSTANCE.serialize(FILE_SPLIT));
        Files.write(dir.resolve(MODEL_SPLIT_FILE), CameraSplitSerializer.INSTANCE.serialize(MODEL_SPLIT));
        Files.write(dir.resolve(ENUM_STATE_FILE), new CameraEnumStateSerializer().serialize(ENUM_STATE));
        Files.write(dir.resolve(ENUM_STATE_WITH_MODEL_FILE),
                new CameraEnumStateSerializer().serialize(ENUM_STATE_WITH_MODEL));
    }
}
