package io.bitvision.operators.source.enumerator;

import io.bitvision.operators.source.split.CameraSplit;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checkpointed state of the {@link CameraSplitEnumerator}: cameras not yet handed to a reader (full splits) and
 * the ids of cameras already assigned (their progress is in the readers' state; the ids keep discovery from adding
 * them twice). Immutable.
 */
public record CameraEnumState(List<CameraSplit> unassigned, Set<String> assignedCameraIds) {

    public CameraEnumState {
        unassigned = List.copyOf(unassigned);
        assignedCameraIds = Set.copyOf(assignedCameraIds);
    }

    public static CameraEnumState of(Collection<CameraSplit> unassigned, Collection<String> assignedIds) {
        return new CameraEnumState(List.copyOf(unassigned), new TreeSet<>(assignedIds));
    }
}
