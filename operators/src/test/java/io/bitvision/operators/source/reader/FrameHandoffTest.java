package io.bitvision.operators.source.reader;

import io.bitvision.operators.source.CameraRecord;
import io.bitvision.operators.source.CameraRecord.State;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FrameHandoffTest {
    private final AvailabilityNotifier notifier = new AvailabilityNotifier();
    private final CameraMetrics metrics = new CameraMetrics();

    private static CameraRecord frame() {
        return CameraRecord.frame("c", -1, 0, CameraRecord.CaptureTimeSource.INGEST_CLOCK, 0, 1, 1, new byte[3]);
    }

    private static CameraRecord health(State state) {
        return CameraRecord.health("c", state, "", 0, 0, 0, 0, 0);
    }

    private static List<CameraRecord> drain(FrameHandoff handoff) {
        List<CameraRecord> out = new ArrayList<>();
        for (CameraRecord r; (r = handoff.poll()) != null; ) {
            out.add(r);
        }
        return out;
    }

    @Test
    void dropToLatestKeepsTheNewestFramesAndAllEventsAndCountsTheGap() throws Exception {
        FrameHandoff handoff = new FrameHandoff(FrameHandoff.Mode.DROP_OLDEST, 2, 10, notifier, metrics);
        int gen = handoff.newGeneration();
        handoff.offerEvent(health(State.STREAMING));
        for (int i = 0; i < 5; i++) {
            assertThat(handoff.offerNumbered(gen, frame())).isTrue();
        }
        List<CameraRecord> out = drain(handoff);
        assertThat(out).extracting(r -> r.kind).containsExactly(CameraRecord.Kind.HEALTH, CameraRecord.Kind.FRAME,
                CameraRecord.Kind.FRAME);
        assertThat(out.get(1).frameSeq).isEqualTo(13);
        assertThat(out.get(1).droppedSinceLast).isEqualTo(3);
        assertThat(out.get(2).frameSeq).isEqualTo(14);
        assertThat(out.get(2).droppedSinceLast).isZero();
        assertThat(metrics.framesDropped).hasValue(3);
    }

    @Test
    void blockModeWaitsForRoomAndNumbersEveryFrame() throws Exception {
        FrameHandoff handoff = new FrameHandoff(FrameHandoff.Mode.BLOCK, 1, 0, notifier, metrics);
        int gen = handoff.newGeneration();
        assertThat(handoff.offerNumbered(gen, frame())).isTrue();
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> offer(handoff, gen));
        await("the producer waits for room").atMost(Duration.ofSeconds(5)).until(handoff::producerWaiting);
        assertThat(second).isNotDone();
        assertThat(handoff.poll().frameSeq).isZero();
        assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(handoff.poll().frameSeq).isEqualTo(1);
        assertThat(metrics.framesDropped).hasValue(0);
    }

    @Test
    void aNewGenerationRejectsAndWakesTheOldProducer() throws Exception {
        FrameHandoff handoff = new FrameHandoff(FrameHandoff.Mode.BLOCK, 1, 0, notifier, metrics);
        int old = handoff.newGeneration();
        handoff.offerNumbered(old, frame());
        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> offer(handoff, old));
        await("the old producer blocks").atMost(Duration.ofSeconds(5)).until(handoff::producerWaiting);
        int current = handoff.newGeneration();
        assertThat(blocked.get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(handoff.skipNumber(old)).isFalse();
        assertThat(handoff.poll().frameSeq).isZero();
        assertThat(handoff.skipNumber(current)).isTrue();
        assertThat(handoff.offerNumbered(current, frame())).isTrue();
        assertThat(handoff.poll().frameSeq).isEqualTo(2);
    }

    @Test
    void finishQueuesTheEndAfterEverythingAndCompletesAvailability() throws Exception {
        FrameHandoff handoff = new FrameHandoff(FrameHandoff.Mode.BLOCK, 4, 0, notifier, metrics);
        int gen = handoff.newGeneration();
        handoff.offerNumbered(gen, frame());
        notifier.reset();
        assertThat(notifier.future()).isNotDone();
        handoff.finish(true);
        assertThat(notifier.future()).isDone();
        assertThat(handoff.offerNumbered(gen, frame())).isFalse();
        assertThat(drain(handoff)).hasSize(2).last().isSameAs(FrameHandoff.END);
        assertThat(handoff.removeSplitAtEnd()).isTrue();
    }

    private static boolean offer(FrameHandoff handoff, int gen) {
        try {
            return handoff.offerNumbered(gen, frame());
        } catch (InterruptedException e) {
            throw new RuntimeException(e);
        }
    }
}
