package io.bitvision.operators.faces;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.operators.kafka.OutboundRecord;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.FaceMatch;
import io.bitvision.schemas.WatchlistOp;
import io.bitvision.schemas.WatchlistUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class FaceMatchFunctionTest {
    private static final Topics TOPICS = Topics.defaults();
    private static final float[] ALICE = unit(1);
    private static final float[] BOB = unit(2);

    private static float[] unit(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[48];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return Embeddings.normalise(v);
    }

    private static byte[] upsert(String id, long version, float[] embedding) {
        List<Float> e = new ArrayList<>();
        for (float f : embedding) {
            e.add(f);
        }
        return AvroRecords.encode(WatchlistUpdate.newBuilder().setIdentityId(id).setOp(WatchlistOp.UPSERT)
                .setVersion(version).setEmbeddings(List.of(e)).setModelId(ColourLayoutEmbedder.ID)
                .setUpdatedTimeMs(Instant.EPOCH).build());
    }

    private static byte[] delete(String id, long version) {
        return AvroRecords.encode(WatchlistUpdate.newBuilder().setIdentityId(id).setOp(WatchlistOp.DELETE)
                .setVersion(version).setEmbeddings(List.of()).setModelId(ColourLayoutEmbedder.ID)
                .setUpdatedTimeMs(Instant.EPOCH).build());
    }

    private static FaceCandidate seen(long frame, long track, float[] embedding) {
        FaceCandidate c = new FaceCandidate();
        c.cameraId = "door";
        c.frameSeq = frame;
        c.trackId = track;
        c.captureTimeMs = 1000 + frame;
        c.bbox = new float[] {1, 2, 3, 4};
        c.embedding = embedding;
        c.embedderId = ColourLayoutEmbedder.ID;
        return c;
    }

    private static KeyedBroadcastOperatorTestHarness<String, FaceCandidate, byte[], OutboundRecord> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new FaceMatchFunction(TOPICS, "watchlist", 0.9f, 5, "test"),
                (FaceCandidate c) -> c.cameraId, Types.STRING, FaceMatchFunction.WATCHLIST);
    }

    private static List<FaceMatch> faces(List<OutboundRecord> out) {
        return out.stream().filter(r -> r.topic.equals(TOPICS.faces()))
                .map(r -> AvroRecords.decode(r.value, FaceMatch.class)).toList();
    }

    @Test
    void oneEventPerEpisodeOnlyForTheEnrolledIdentity() throws Exception {
        try (var h = harness()) {
            h.processBroadcastElement(upsert("alice", 1, ALICE), 0);
            for (long f = 0; f < 10; f++) {
                h.processElement(seen(f, 7, ALICE), f);
                h.processElement(seen(f, 8, BOB), f);
            }
            h.processElement(seen(30, 7, ALICE), 30); // back after more than the cooldown: a new episode
            List<FaceMatch> events = faces(h.extractOutputValues());
            assertThat(events).extracting(FaceMatch::getIdentityId).containsExactly("alice", "alice");
            assertThat(events).extracting(FaceMatch::getFrameSeq).containsExactly(0L, 30L);
            assertThat(events.get(0).getEventId()).isNotEqualTo(events.get(1).getEventId());
            assertThat(events.get(0).getSimilarity()).isGreaterThan(0.99f);
            assertThat(events.get(0).getWatchlistVersion()).isEqualTo(1L);
            assertThat(events.get(0).getEmbedding()).as("embeddings stay off the events by default").isNull();
        }
    }

    @Test
    void aDeleteStopsEventsAndALateOlderUpsertDoesNotRevive() throws Exception {
        try (var h = harness()) {
            h.processBroadcastElement(delete("alice", 2), 0);
            h.processBroadcastElement(upsert("alice", 1, ALICE), 1); // arrives late, older: loses
            h.processElement(seen(0, 7, ALICE), 2);
            assertThat(faces(h.extractOutputValues())).isEmpty();
        }
    }

    @Test
    void theWatchlistAndEpisodesSurviveASnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.processBroadcastElement(upsert("alice", 1, ALICE), 0);
            h.processElement(seen(0, 7, ALICE), 0);
            snapshot = h.snapshot(1, 1);
        }
        try (var restored = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new FaceMatchFunction(TOPICS, "watchlist", 0.9f, 5, "test"),
                        List.of(FaceMatchFunction.WATCHLIST)),
                (FaceCandidate c) -> c.cameraId, Types.STRING, 1, 1, 0)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(seen(1, 7, ALICE), 1); // same episode: no second event
            restored.processElement(seen(2, 9, ALICE), 2); // a new track of the enrolled identity: an event
            List<FaceMatch> events = faces(restored.extractOutputValues());
            assertThat(events).extracting(FaceMatch::getTrackId).containsExactly(9L);
        }
    }

    @Test
    void aMalformedUpdateBecomesADeadLetter() throws Exception {
        try (var h = harness()) {
            h.processBroadcastElement(new byte[] {1, 2, 3}, 0);
            assertThat(h.extractOutputValues()).extracting(r -> r.topic).containsExactly(TOPICS.deadLetters());
        }
    }

    @Test
    void theEmbedderSeparatesDifferentRegionsAndMatchesTheSameOne() {
        int h = 60;
        int w = 80;
        byte[] rgb = new byte[h * w * 3];
        SplittableRandom rnd = new SplittableRandom(3);
        rnd.nextBytes(rgb);
        ColourLayoutEmbedder embedder = new ColourLayoutEmbedder();
        var box = new io.bitvision.engine.track.Box(10, 10, 30, 40);
        float[] a = embedder.embed(rgb, h, w, box);
        float[] same = embedder.embed(rgb, h, w, box);
        float[] other = embedder.embed(rgb, h, w, new io.bitvision.engine.track.Box(45, 5, 30, 40));
        List<Float> aList = new ArrayList<>();
        for (float f : a) {
            aList.add(f);
        }
        assertThat(Embeddings.cosine(same, aList)).isGreaterThan(0.999f);
        assertThat(Embeddings.cosine(other, aList)).isLessThan(0.9f);
    }
}
