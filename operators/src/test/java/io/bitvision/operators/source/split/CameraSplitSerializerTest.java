package io.bitvision.operators.source.split;

import io.bitvision.operators.source.CameraSpec;
import io.bitvision.operators.source.testing.SourceSnapshots;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CameraSplitSerializerTest {
    private final CameraSplitSerializer serializer = CameraSplitSerializer.INSTANCE;

    @Test
    void restoresCommittedVersion1Snapshots() throws IOException {
        assertThat(serializer.deserialize(1, SourceSnapshots.read(1, SourceSnapshots.LIVE_SPLIT_FILE)))
                .isEqualTo(SourceSnapshots.LIVE_SPLIT);
        CameraSplit file = serializer.deserialize(1, SourceSnapshots.read(1, SourceSnapshots.FILE_SPLIT_FILE));
        assertThat(file).isEqualTo(SourceSnapshots.FILE_SPLIT);
        assertThat(file.nextSeq()).isEqualTo(100);
        assertThat(file.kind()).isEqualTo(InputKind.FILE);
    }

    @Test
    void restoresCommittedVersion2Snapshots() throws IOException {
        assertThat(serializer.deserialize(2, SourceSnapshots.read(2, SourceSnapshots.LIVE_SPLIT_FILE)))
                .isEqualTo(SourceSnapshots.LIVE_SPLIT);
        CameraSplit withModel = serializer.deserialize(2, SourceSnapshots.read(2, SourceSnapshots.MODEL_SPLIT_FILE));
        assertThat(withModel).isEqualTo(SourceSnapshots.MODEL_SPLIT);
        assertThat(withModel.spec().model()).isEqualTo("store-aisle.v2");
    }

    @Test
    void version1SplitsAskForNoModel() throws IOException {
        assertThat(serializer.deserialize(1, SourceSnapshots.read(1, SourceSnapshots.LIVE_SPLIT_FILE)).spec().model())
                .isEmpty();
    }

    @Test
    void currentVersionWritesTheCommittedBytes() throws IOException {
        // Holds while CURRENT_VERSION is 2; a new version adds its own snapshot directory instead.
        assertThat(serializer.getVersion()).isEqualTo(2);
        assertThat(serializer.serialize(SourceSnapshots.LIVE_SPLIT))
                .isEqualTo(SourceSnapshots.read(2, SourceSnapshots.LIVE_SPLIT_FILE));
        assertThat(serializer.serialize(SourceSnapshots.MODEL_SPLIT))
                .isEqualTo(SourceSnapshots.read(2, SourceSnapshots.MODEL_SPLIT_FILE));
    }

    @Test
    void roundTrips() throws IOException {
        CameraSplit split = new CameraSplit(new CameraSpec("cam-ü", "rtsp://h/ß", 12.5,
                Map.of("b", "2", "a", "1"), "m-1.0"), Long.MAX_VALUE);
        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(split))).isEqualTo(split);
    }

    @Test
    void rejectsUnknownVersionsAndCorruptBytes() throws IOException {
        byte[] bytes = serializer.serialize(SourceSnapshots.LIVE_SPLIT);
        assertThatThrownBy(() -> serializer.deserialize(99, bytes))
                .isInstanceOf(IOException.class).hasMessageContaining("version 99");
        assertThatThrownBy(() -> serializer.deserialize(2, Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> serializer.deserialize(2, Arrays.copyOf(bytes, bytes.length + 1)))
                .isInstanceOf(IOException.class).hasMessageContaining("Trailing");
    }
}
