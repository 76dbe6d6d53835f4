package io.bitvision.operators.source.enumerator;

import io.bitvision.operators.source.testing.SourceSnapshots;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CameraEnumStateSerializerTest {
    private final CameraEnumStateSerializer serializer = new CameraEnumStateSerializer();

    @Test
    void restoresCommittedVersion1Snapshot() throws IOException {
        CameraEnumState state = serializer.deserialize(1, SourceSnapshots.read(1, SourceSnapshots.ENUM_STATE_FILE));
        assertThat(state).isEqualTo(SourceSnapshots.ENUM_STATE);
        assertThat(state.unassigned()).extracting(s -> s.splitId()).containsExactly("vtest", "gate");
        assertThat(state.assignedCameraIds()).containsExactlyInAnyOrder("lobby-cam", "yard");
    }

    @Test
    void restoresStateWithVersion2SplitsThatAskForModels() throws IOException {
        CameraEnumState state = serializer.deserialize(1,
                SourceSnapshots.read(2, SourceSnapshots.ENUM_STATE_WITH_MODEL_FILE));
        assertThat(state).isEqualTo(SourceSnapshots.ENUM_STATE_WITH_MODEL);
        assertThat(state.unassigned()).extracting(s -> s.spec().model()).containsExactly("", "store-aisle.v2");
    }

    @Test
    void currentVersionWritesTheCommittedBytes() throws IOException {
        // The state's own layout is still version 1; it embeds splits of the split serializer's current version (2).
        assertThat(serializer.getVersion()).isEqualTo(1);
        assertThat(serializer.serialize(SourceSnapshots.ENUM_STATE))
                .isEqualTo(SourceSnapshots.read(2, SourceSnapshots.ENUM_STATE_FILE));
        assertThat(serializer.serialize(SourceSnapshots.ENUM_STATE_WITH_MODEL))
                .isEqualTo(SourceSnapshots.read(2, SourceSnapshots.ENUM_STATE_WITH_MODEL_FILE));
    }

    @Test
    void roundTripsEmptyState() throws IOException {
        CameraEnumState empty = new CameraEnumState(List.of(), Set.of());
        assertThat(serializer.deserialize(1, serializer.serialize(empty))).isEqualTo(empty);
    }

    @Test
    void rejectsUnknownVersion() {
        assertThatThrownBy(() -> serializer.deserialize(2, new byte[0]))
                .isInstanceOf(IOException.class).hasMessageContaining("version 2");
    }
}
