package io.bitvision.engine.track;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy IoU tracker for one camera: each frame's detections are matched to live tracks of the same class in
 * order of decreasing IoU (ties by track id, then detection index, so results are deterministic); unmatched
 * detections start new tracks, tracks unseen for more than {@code maxAge} frames end. Not thread-safe; one per
 * camera. Its whole state is a {@link TrackerSnapshot}, so track ids survive checkpoints.
 */
public final class IouTracker {
    private final float minIou;
    private final int maxAge;
    private List<Track> tracks = new ArrayList<>();
    private long nextId = 1;

    public IouTracker(float minIou, int maxAge) {
        if (!(minIou > 0f && minIou <= 1f) || maxAge < 0) {
            throw new IllegalArgumentException("minIou must be in (0, 1] and maxAge >= 0");
        }
        this.minIou = minIou;
        this.maxAge = maxAge;
    }

    /** One detection of the current frame. */
    public record Detection(int classId, Box box) {}

    /**
     * Matches this frame's detections and returns their track ids, in detection order.
     *
     * @param frame the camera's frame sequence number; must not go backwards
     */
    public long[] update(long frame, List<Detection> detections) {
        long[] ids = new long[detections.size()];
        boolean[] detectionTaken = new boolean[detections.size()];
        boolean[] trackTaken = new boolean[tracks.size()];
        List<float[]> candidates = new ArrayList<>(); // {iou, trackIndex, detectionIndex}
        for (int t = 0; t < tracks.size(); t++) {
            for (int d = 0; d < detections.size(); d++) {
                Track track = tracks.get(t);
                Detection det = detections.get(d);
                if (track.classId() == det.classId()) {
                    float iou = track.box().iou(det.box());
                    if (iou >= minIou) {
                        candidates.add(new float[] {iou, t, d});
                    }
                }
            }
        }
        candidates.sort((a, b) -> a[0] != b[0] ? Float.compare(b[0], a[0])
                : a[1] != b[1] ? Float.compare(a[1], b[1]) : Float.compare(a[2], b[2]));
        List<Track> next = new ArrayList<>(tracks);
        for (float[] c : candidates) {
            int t = (int) c[1];
            int d = (int) c[2];
            if (trackTaken[t] || detectionTaken[d]) {
                continue;
            }
            trackTaken[t] = true;
            detectionTaken[d] = true;
            Track old = tracks.get(t);
            next.set(t, new Track(old.id(), old.classId(), detections.get(d).box(), frame, old.hits() + 1));
            ids[d] = old.id();
        }
        for (int d = 0; d < detections.size(); d++) {
            if (!detectionTaken[d]) {
                Detection det = detections.get(d);
                Track created = new Track(nextId++, det.classId(), det.box(), frame, 1);
                next.add(created);
                ids[d] = created.id();
            }
        }
        next.removeIf(track -> frame - track.lastSeenFrame() > maxAge);
        tracks = next;
        return ids;
    }

    public List<Track> tracks() {
        return List.copyOf(tracks);
    }

    public TrackerSnapshot snapshot() {
        return new TrackerSnapshot(nextId, List.copyOf(tracks));
    }

    public void restore(TrackerSnapshot snapshot) {
        this.nextId = snapshot.nextId();
        this.tracks = new ArrayList<>(snapshot.tracks());
    }

    @Override
    public String toString() {
        return "IouTracker" + Arrays.asList(minIou, maxAge, tracks.size(), nextId);
    }
}
