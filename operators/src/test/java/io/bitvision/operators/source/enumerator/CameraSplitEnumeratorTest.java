package io.bitvision.operators.source.enumerator;

import io.bitvision.operators.source.CameraSpec;
import io.bitvision.operators.source.VideoSource;
import io.bitvision.operators.source.split.CameraSplit;
import io.bitvision.operators.source.testing.TestingEnumeratorContext;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CameraSplitEnumeratorTest {

    private static CameraSpec cam(String id) {
        return new CameraSpec(id, "/video/" + id + ".avi", 0);
    }

    private static CameraSpec live(String id) {
        return new CameraSpec(id, "rtsp://cams/" + id, 0);
    }

    private static List<String> ids(List<CameraSplit> splits) {
        return splits.stream().map(CameraSplit::splitId).toList();
    }

    @Test
    void boundedSourceSpreadsCamerasRoundRobinAndSignalsTheEnd() throws Exception {
        TestingEnumeratorContext<CameraSplit> context = new TestingEnumeratorContext<>(2);
        VideoSource source = VideoSource.builder().camera(cam("a")).camera(cam("b")).camera(cam("c")).build();
        try (SplitEnumerator<CameraSplit, CameraEnumState> enumerator = source.createEnumerator(context)) {
            enumerator.start();
            assertThat(context.assigned).isEmpty(); // no reader yet
            context.registerReader(1);
            enumerator.addReader(1);
            assertThat(ids(context.assignedTo(1))).containsExactly("b");
            assertThat(context.noMoreSplits).isEmpty(); // a and c still wait for reader 0
            assertThat(enumerator.snapshotState(1).unassigned()).extracting(CameraSplit::splitId)
                    .containsExactly("a", "c");
            context.registerReader(0);
            enumerator.addReader(0);
            assertThat(ids(context.assignedTo(0))).containsExactly("a", "c");
            assertThat(context.noMoreSplits).containsExactlyInAnyOrder(0, 1);
            CameraEnumState state = enumerator.snapshotState(2);
            assertThat(state.unassigned()).isEmpty();
            assertThat(state.assignedCameraIds()).containsExactlyInAnyOrder("a", "b", "c");
        }
    }

    @Test
    void splitsGivenBackReturnToTheirReaderWithTheirProgress() throws Exception {
        TestingEnumeratorContext<CameraSplit> context = new TestingEnumeratorContext<>(2);
        VideoSource source = VideoSource.builder().camera(live("a")).camera(live("b")).build();
        try (SplitEnumerator<CameraSplit, CameraEnumState> enumerator = source.createEnumerator(context)) {
            context.registerReader(0);
            context.registerReader(1);
            enumerator.start();
            CameraSplit b = context.assignedTo(1).get(0);
            context.unregisterReader(1);
            enumerator.addSplitsBack(List.of(b.withNextSeq(42)), 1);
            assertThat(enumerator.snapshotState(3).unassigned()).containsExactly(b.withNextSeq(42));
            context.registerReader(1);
            enumerator.addReader(1);
            assertThat(context.assignedTo(1)).containsExactly(b, b.withNextSeq(42));
            assertThat(context.noMoreSplits).isEmpty(); // unbounded: never
        }
    }

    @Test
    void camerasAddedAtRunTimeAreAssignedOnce() throws Exception {
        TestingEnumeratorContext<CameraSplit> context = new TestingEnumeratorContext<>(2);
        List<CameraSpec> registry = new ArrayList<>(List.of(live("a")));
        CameraSplitEnumerator enumerator = new CameraSplitEnumerator(context, Boundedness.CONTINUOUS_UNBOUNDED,
                () -> List.copyOf(registry), Duration.ofSeconds(1),
                CameraEnumState.of(List.of(CameraSplit.fresh(live("a"))), Set.of()));
        context.registerReader(0);
        context.registerReader(1);
        enumerator.start();
        context.runAsyncCalls(); // discovery lists "a" again: already known
        assertThat(ids(context.assignedTo(0))).containsExactly("a");
        registry.add(live("b"));
        registry.add(live("c"));
        context.runAsyncCalls();
        context.runAsyncCalls();
        assertThat(ids(context.assignedTo(1))).containsExactly("b");
        assertThat(ids(context.assignedTo(0))).containsExactly("a", "c");
        assertThat(enumerator.addCameras(List.of(live("c"), live("d")))).isEqualTo(1);
        assertThat(ids(context.assignedTo(1))).containsExactly("b", "d");
        assertThat(enumerator.snapshotState(1).assignedCameraIds()).containsExactlyInAnyOrder("a", "b", "c", "d");
    }

    @Test
    void restoredEnumeratorKeepsAssignedCamerasAndAddsNewlyConfiguredOnes() throws Exception {
        TestingEnumeratorContext<CameraSplit> context = new TestingEnumeratorContext<>(1);
        VideoSource source = VideoSource.builder().camera(live("a")).camera(live("b")).camera(live("new")).build();
        CameraEnumState checkpoint = CameraEnumState.of(List.of(CameraSplit.fresh(live("b")).withNextSeq(7)),
                Set.of("a"));
        try (SplitEnumerator<CameraSplit, CameraEnumState> enumerator =
                     source.restoreEnumerator(context, checkpoint)) {
            context.registerReader(0);
            enumerator.start();
            assertThat(context.assignedTo(0)).extracting(CameraSplit::splitId, CameraSplit::nextSeq)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("b", 7L),
                            org.assertj.core.groups.Tuple.tuple("new", 0L));
        }
    }

    @Test
    void boundedSourceRefusesRunTimeCameras() {
        TestingEnumeratorContext<CameraSplit> context = new TestingEnumeratorContext<>(1);
        CameraSplitEnumerator enumerator = new CameraSplitEnumerator(context, Boundedness.BOUNDED, null,
                Duration.ofSeconds(1), CameraEnumState.of(List.of(), Set.of()));
        assertThatThrownBy(() -> enumerator.addCameras(List.of(cam("x"))))
                .isInstanceOf(IllegalStateException.class);
    }
}
