package io.bitvision.cli.console;

import io.bitvision.schemas.CameraHealth;
import io.bitvision.schemas.FaceMatch;
import io.bitvision.schemas.FrameMasks;
import io.bitvision.schemas.FramePreview;
import io.bitvision.schemas.WatchlistOp;
import io.bitvision.schemas.WatchlistUpdate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the console shows, folded from the committed records as they are read: cameras, recent face matches
 * and the watchlist (each identity's update with the highest version, as the job applies them). One lock; every
 * read returns plain maps and lists for JSON, copied under the lock.
 */
final class FleetState {
    static final int MATCHES_KEPT = 500;

    private final Map<String, CameraView> cameras = new TreeMap<>();
    private final ArrayDeque<FaceMatch> matches = new ArrayDeque<>();
    private final Map<String, WatchlistUpdate> watchlist = new TreeMap<>();
    private final AtomicLong version = new AtomicLong();
    private long matchesSeen;

    /** Grows on every change; the event stream pushes when it moved. */
    long version() {
        return version.get();
    }

    synchronized void masks(FrameMasks record, long readMs, boolean live) {
        camera(record.getCameraId()).masks(record, readMs, live);
        version.incrementAndGet();
    }

    synchronized void preview(FramePreview record) {
        camera(record.getCameraId()).preview(record);
        version.incrementAndGet();
    }

    synchronized void health(CameraHealth record) {
        camera(record.getCameraId()).health(record);
        version.incrementAndGet();
    }

    synchronized void match(FaceMatch record) {
        matches.addLast(record);
        matchesSeen++;
        while (matches.size() > MATCHES_KEPT) {
            matches.removeFirst();
        }
        version.incrementAndGet();
    }

    synchronized void watchlist(WatchlistUpdate update) {
        WatchlistUpdate current = watchlist.get(update.getIdentityId());
        if (current == null || update.getVersion() > current.getVersion()) {
            watchlist.put(update.getIdentityId(), update);
            version.incrementAndGet();
        }
    }

    private CameraView camera(String id) {
        return cameras.computeIfAbsent(id, CameraView::new);
    }

    synchronized List<Map<String, Object>> cameras(long nowMs) {
        return cameras.values().stream().map(c -> c.summary(nowMs)).toList();
    }

    /** Null when the console has seen nothing of the camera. */
    synchronized Map<String, Object> camera(String id, long nowMs) {
        CameraView c = cameras.get(id);
        if (c == null) {
            return null;
        }
        Map<String, Object> detail = c.detail(nowMs);
        detail.put("matches", matches(Integer.MAX_VALUE, null, id));
        return detail;
    }

    synchronized Map<String, Object> frame(String id) {
        CameraView c = cameras.get(id);
        return c == null ? null : c.frame();
    }

    /** The JPEG of that preview while the console still holds it, else null. */
    synchronized byte[] previewJpeg(String id, long frameSeq) {
        CameraView c = cameras.get(id);
        FramePreview p = c == null ? null : c.preview(frameSeq);
        return p == null ? null : CameraView.jpegBytes(p);
    }

    /** Newest first; {@code identity} and {@code camera} filter when not null. */
    synchronized List<Map<String, Object>> matches(int limit, String identity, String camera) {
        List<Map<String, Object>> out = new ArrayList<>();
        var newestFirst = matches.descendingIterator();
        while (newestFirst.hasNext() && out.size() < limit) {
            FaceMatch m = newestFirst.next();
            if ((identity == null || identity.equals(m.getIdentityId())) && (camera == null || camera.equals(m.getCameraId()))) {
                out.add(matchJson(m));
            }
        }
        return out;
    }

    synchronized long matchesSeen() {
        return matchesSeen;
    }

    private static Map<String, Object> matchJson(FaceMatch m) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("event_id", m.getEventId());
        j.put("identity_id", m.getIdentityId());
        j.put("camera_id", m.getCameraId());
        j.put("frame_seq", m.getFrameSeq());
        j.put("track_id", m.getTrackId());
        j.put("similarity", m.getSimilarity());
        j.put("threshold", m.getThreshold());
        j.put("capture_time_ms", m.getCaptureTimeMs().toEpochMilli());
        j.put("bbox", m.getBbox());
        j.put("model", m.getModelId() + ":" + m.getModelVersion());
        j.put("watchlist_version", m.getWatchlistVersion());
        return j;
    }

    /** Identities on the watchlist now (deleted ones left out), without their embeddings. */
    synchronized List<Map<String, Object>> watchlist() {
        return watchlist.values().stream()
                .filter(u -> u.getOp() == WatchlistOp.UPSERT)
                .sorted(Comparator.comparing(WatchlistUpdate::getIdentityId))
                .map(u -> {
                    Map<String, Object> j = new LinkedHashMap<>();
                    j.put("identity_id", u.getIdentityId());
                    j.put("display_name", u.getDisplayName());
                    j.put("version", u.getVersion());
                    j.put("embeddings", u.getEmbeddings().size());
                    j.put("model_id", u.getModelId());
                    j.put("updated_time_ms", u.getUpdatedTimeMs().toEpochMilli());
                    return j;
                }).toList();
    }

    /** The version the next update of {@code identity} needs to supersede what the console has read. */
    synchronized long nextVersion(String identity, long nowMs) {
        WatchlistUpdate current = watchlist.get(identity);
        return current == null ? nowMs : Math.max(nowMs, current.getVersion() + 1);
    }

    synchronized boolean enrolled(String identity) {
        WatchlistUpdate current = watchlist.get(identity);
        return current != null && current.getOp() == WatchlistOp.UPSERT;
    }
}
