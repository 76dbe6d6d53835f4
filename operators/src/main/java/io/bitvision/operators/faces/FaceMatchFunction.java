package io.bitvision.operators.faces;

import io.bitvision.operators.kafka.OutboundRecord;
import io.bitvision.operators.kafka.Topics;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.DeadLetter;
import io.bitvision.schemas.FaceMatch;
import io.bitvision.schemas.WatchlistOp;
import io.bitvision.schemas.WatchlistUpdate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.AvroRuntimeException;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Matches embeddings against the watchlist and emits one face-match event per (camera, track, identity)
 * episode. The watchlist lives in broadcast state (identity -> its winning update, deletes kept as tombstones),
 * updated live from the watchlist topic and restored from checkpoints. An episode ends when the pair has not
 * matched for {@code cooldownFrames} frames; the event id is derived from camera, track, identity and the
 * episode's first frame, so a replay after a restore produces the same id.
 */
public final class FaceMatchFunction extends KeyedBroadcastProcessFunction<String, FaceCandidate, byte[], OutboundRecord> {
    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<String, byte[]> WATCHLIST = new MapStateDescriptor<>("watchlist",
            BasicTypeInfo.STRING_TYPE_INFO, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** Gauge: the highest watchlist version this subtask has applied (0: none yet, or none since a restore). */
    public static final String WATCHLIST_VERSION_METRIC = "watchlistVersion";

    private final Topics topics;
    private final String watchlistTopic;
    private final float threshold;
    private final long cooldownFrames;
    private final String modelVersion;

    private transient MapState<String, long[]> episodes; // "track/identity" -> {first frame, last frame}
    private transient List<WatchlistUpdate> decoded;      // cache of the broadcast state, rebuilt when it changes
    private transient volatile long appliedVersion;       // highest watchlist version seen, for the gauge

    public FaceMatchFunction(Topics topics, String watchlistTopic, float threshold, long cooldownFrames, String modelVersion) {
        this.topics = topics;
        this.watchlistTopic = watchlistTopic;
        this.threshold = threshold;
        this.cooldownFrames = cooldownFrames;
        this.modelVersion = modelVersion;
    }

    @Override
    public void open(OpenContext openContext) {
        getRuntimeContext().getMetricGroup().gauge(WATCHLIST_VERSION_METRIC, () -> appliedVersion);
        episodes = getRuntimeContext().getMapState(new MapStateDescriptor<>("face-episodes",
                BasicTypeInfo.STRING_TYPE_INFO, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processBroadcastElement(byte[] value, Context context, Collector<OutboundRecord> out) throws Exception {
        WatchlistUpdate update;
        try {
            update = AvroRecords.decode(value, WatchlistUpdate.class);
        } catch (AvroRuntimeException | IllegalArgumentException e) {
            out.collect(new OutboundRecord(topics.deadLetters(), null, AvroRecords.encode(DeadLetter.newBuilder()
                    .setTimeMs(Instant.now())
                    .setSourceTopic(watchlistTopic)
                    .setErrorType("MALFORMED_WATCHLIST_UPDATE")
                    .setReason(e.getClass().getSimpleName() + ": " + e.getMessage())
                    .setPayload(ByteBuffer.wrap(value))
                    .build()), System.currentTimeMillis()));
            return;
        }
        BroadcastState<String, byte[]> state = context.getBroadcastState(WATCHLIST);
        byte[] current = state.get(update.getIdentityId());
        if (WatchlistOrder.supersedes(update, current == null ? null : AvroRecords.decode(current, WatchlistUpdate.class))) {
            state.put(update.getIdentityId(), AvroRecords.encode(update));
            decoded = null;
        }
        appliedVersion = Math.max(appliedVersion, update.getVersion());
    }

    @Override
    public void processElement(FaceCandidate candidate, ReadOnlyContext context, Collector<OutboundRecord> out)
            throws Exception {
        List<WatchlistUpdate> watchlist = watchlist(context.getBroadcastState(WATCHLIST));
        WatchlistUpdate best = null;
        float bestSimilarity = -2f;
        long watchlistVersion = 0;
        for (WatchlistUpdate entry : watchlist) {
            watchlistVersion = Math.max(watchlistVersion, entry.getVersion());
            if (entry.getOp() != WatchlistOp.UPSERT || !entry.getModelId().equals(candidate.embedderId)) {
                continue;
            }
            for (List<Float> enrolled : entry.getEmbeddings()) {
                float similarity = Embeddings.cosine(candidate.embedding, enrolled);
                if (similarity > bestSimilarity) {
                    bestSimilarity = similarity;
                    best = entry;
                }
            }
        }
        if (best == null || bestSimilarity < threshold) {
            return;
        }
        String pair = candidate.trackId + "/" + best.getIdentityId();
        long[] episode = episodes.get(pair);
        boolean newEpisode = episode == null || candidate.frameSeq - episode[1] > cooldownFrames;
        long first = newEpisode ? candidate.frameSeq : episode[0];
        episodes.put(pair, new long[] {first, candidate.frameSeq});
        if (!newEpisode) {
            return;
        }
        String eventId = UUID.nameUUIDFromBytes((candidate.cameraId + "|" + pair + "|" + first)
                .getBytes(StandardCharsets.UTF_8)).toString();
        List<Float> box = new ArrayList<>(4);
        for (float v : candidate.bbox) {
            box.add(v);
        }
        FaceMatch event = FaceMatch.newBuilder()
                .setEventId(eventId)
                .setCameraId(candidate.cameraId)
                .setFrameSeq(candidate.frameSeq)
                .setTrackId(candidate.trackId)
                .setIdentityId(best.getIdentityId())
                .setSimilarity(bestSimilarity)
                .setThreshold(threshold)
                .setModelId(candidate.embedderId)
                .setModelVersion(modelVersion)
                .setWatchlistVersion(watchlistVersion)
                .setCaptureTimeMs(Instant.ofEpochMilli(candidate.captureTimeMs))
                .setEmittedTimeMs(Instant.now())
                .setBbox(box)
                .build();
        out.collect(new OutboundRecord(topics.faces(), candidate.cameraId.getBytes(StandardCharsets.UTF_8),
                AvroRecords.encode(event), candidate.captureTimeMs));
    }

    private List<WatchlistUpdate> watchlist(ReadOnlyBroadcastState<String, byte[]> state) throws Exception {
        if (decoded == null) {
            List<WatchlistUpdate> entries = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : state.immutableEntries()) {
                entries.add(AvroRecords.decode(e.getValue(), WatchlistUpdate.class));
            }
            decoded = entries;
        }
        return decoded;
    }
}
