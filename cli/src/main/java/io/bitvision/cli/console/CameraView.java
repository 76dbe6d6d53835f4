package io.bitvision.cli.console;

import io.bitvision.schemas.CameraHealth;
import io.bitvision.schemas.FrameMasks;
import io.bitvision.schemas.FramePreview;
import io.bitvision.schemas.Instance;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the console knows of one camera: its latest health, its latest mask record, its recent previews, people
 * counts and health events. Bounded: old entries fall off. Guarded by {@link FleetState}'s lock.
 */
final class CameraView {
    static final int PREVIEWS_KEPT = 16;
    static final int PEOPLE_POINTS_KEPT = 3000;
    static final int HEALTH_EVENTS_KEPT = 50;
    private static final long FPS_WINDOW_MS = 5000;

    final String id;
    private CameraHealth health;
    private long maskRecords;
    private long droppedFrames;
    private FrameMasks latest;
    private final ArrayDeque<FramePreview> previews = new ArrayDeque<>();
    private final ArrayDeque<long[]> people = new ArrayDeque<>();
    private final ArrayDeque<CameraHealth> healthEvents = new ArrayDeque<>();
    private final ArrayDeque<Long> liveReads = new ArrayDeque<>();
    private final RollingWindow latencyMs = new RollingWindow(200);

    CameraView(String id) {
        this.id = id;
    }

    /** @param readMs when the console read it; {@code live}: read as it was committed, not from the backlog */
    void masks(FrameMasks record, long readMs, boolean live) {
        maskRecords++;
        droppedFrames += record.getFramesDropped();
        // Records of a camera come in order (one partition, keyed by camera); a restarted job may begin again at 0.
        latest = record;
        people.addLast(new long[] {record.getCaptureTimeMs().toEpochMilli(), record.getInstances().size(), record.getFrameSeq()});
        while (people.size() > PEOPLE_POINTS_KEPT) {
            people.removeFirst();
        }
        if (live) {
            latencyMs.add(Math.max(0, readMs - record.getIngestTimeMs().toEpochMilli()));
            liveReads.addLast(readMs);
        }
        forgetReadsBefore(readMs - FPS_WINDOW_MS);
    }

    private void forgetReadsBefore(long ms) {
        while (!liveReads.isEmpty() && liveReads.peekFirst() < ms) {
            liveReads.removeFirst();
        }
    }

    void preview(FramePreview record) {
        previews.addLast(record);
        while (previews.size() > PREVIEWS_KEPT) {
            previews.removeFirst();
        }
    }

    void health(CameraHealth record) {
        boolean changed = health == null || health.getState() != record.getState()
                || !java.util.Objects.equals(health.getReason(), record.getReason());
        health = record;
        if (changed) {
            healthEvents.addLast(record);
            while (healthEvents.size() > HEALTH_EVENTS_KEPT) {
                healthEvents.removeFirst();
            }
        }
    }

    long lastFrameSeq() {
        return latest == null ? -1 : latest.getFrameSeq();
    }

    /** The preview of the latest mask record's frame or the nearest earlier one, or null. */
    FramePreview previewFor(long frameSeq) {
        FramePreview best = null;
        for (FramePreview p : previews) {
            if (p.getFrameSeq() <= frameSeq && (best == null || p.getFrameSeq() > best.getFrameSeq())) {
                best = p;
            }
        }
        return best;
    }

    FramePreview preview(long frameSeq) {
        for (FramePreview p : previews) {
            if (p.getFrameSeq() == frameSeq) {
                return p;
            }
        }
        return null;
    }

    /** The {@code GET /api/cameras} entry. */
    Map<String, Object> summary(long nowMs) {
        forgetReadsBefore(nowMs - FPS_WINDOW_MS);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", id);
        s.put("state", health == null ? "UNKNOWN" : health.getState().name());
        s.put("reason", health == null ? null : health.getReason());
        s.put("frames", maskRecords);
        s.put("fps", Math.round(liveReads.size() * 10_000.0 / FPS_WINDOW_MS) / 10.0);
        s.put("dropped", droppedFrames);
        s.put("latency_ms_p50", latencyMs.median());
        s.put("last_frame_seq", lastFrameSeq());
        s.put("frames_decoded", health == null ? null : health.getFramesDecoded());
        s.put("decode_fps", health == null ? null : (double) health.getDecodeFps());
        s.put("reconnect_attempts", health == null ? null : health.getReconnectAttempts());
        s.put("people", latest == null ? 0 : latest.getInstances().size());
        FramePreview preview = latest == null ? null : previewFor(latest.getFrameSeq());
        s.put("preview_seq", preview == null ? null : preview.getFrameSeq());
        return s;
    }

    /** The latest mask record as the page draws it, with the preview it goes on (null: a blank canvas). */
    Map<String, Object> frame() {
        if (latest == null) {
            return null;
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("camera_id", id);
        f.put("frame_seq", latest.getFrameSeq());
        f.put("capture_time_ms", latest.getCaptureTimeMs().toEpochMilli());
        f.put("frame_width", latest.getFrameWidth());
        f.put("frame_height", latest.getFrameHeight());
        f.put("model", latest.getModelId() + ":" + latest.getModelVersion());
        List<Map<String, Object>> instances = new ArrayList<>();
        for (Instance i : latest.getInstances()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("track_id", i.getTrackId());
            m.put("class_name", i.getClassName());
            m.put("score", i.getScore());
            m.put("bbox", i.getBbox());
            m.put("area", i.getArea());
            m.put("rle", Map.of("size", i.getRle().getSize(), "counts", i.getRle().getCounts()));
            instances.add(m);
        }
        f.put("instances", instances);
        FramePreview preview = previewFor(latest.getFrameSeq());
        f.put("preview", preview == null ? null : Map.of("frame_seq", preview.getFrameSeq(), "width", preview.getWidth(),
                "height", preview.getHeight()));
        return f;
    }

    /** The camera page: the summary plus people over time and recent health events. */
    Map<String, Object> detail(long nowMs) {
        Map<String, Object> d = summary(nowMs);
        List<long[]> points = new ArrayList<>(people);
        d.put("people_series", points.stream().map(p -> List.of(p[0], p[1], p[2])).toList());
        d.put("health_events", healthEvents.stream().map(h -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("time_ms", h.getTimeMs().toEpochMilli());
            e.put("state", h.getState().name());
            e.put("reason", h.getReason());
            e.put("frames_decoded", h.getFramesDecoded());
            return e;
        }).toList());
        return d;
    }

    static byte[] jpegBytes(FramePreview preview) {
        ByteBuffer b = preview.getJpeg().duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }
}
