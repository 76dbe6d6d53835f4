package io.bitvision.engine.track;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy IoU tracker for one camera with a constant-velocity motion model: each track's box is moved by its smoothed
 * velocity to where it should be in the current frame, and detections are matched to these predicted boxes of live
 * tracks of the same class in order of decreasing IoU (ties by track id, then detection index, so results are
 * deterministic). Tracks and detections left over are then paired by centre distance (at most half the track's box
 * height from the prediction, similar size), which bridges frames where a box jumps or the object was missed;
 * detections still unmatched start new tracks, and tracks unseen for more than {@code maxAge} frames end. Not
 * thread-safe; one per camera. Its whole state is a {@link TrackerSnapshot}, so track ids survive checkpoints.
 */
public final class IouTracker {
    /** Weight of the newest velocity measurement. */
    static final float VELOCITY_SMOOTHING = 0.5f;
    /** Fastest plausible motion: this many box widths per frame. */
    static final float MAX_SPEED_PER_SIZE = 0.5f;
    /** Second pass: a detection this far from a prediction (in track box heights) can continue it. */
    static final float MAX_CENTRE_DISTANCE = 0.5f;
    /** Second pass: heights may differ by at most this factor. */
    static final float MAX_SIZE_RATIO = 1.5f;

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
        Box[] predicted = new Box[tracks.size()];
        for (int t = 0; t < tracks.size(); t++) {
            predicted[t] = tracks.get(t).predictedAt(frame);
        }
        for (int t = 0; t < tracks.size(); t++) {
            for (int d = 0; d < detections.size(); d++) {
                Track track = tracks.get(t);
                Detection det = detections.get(d);
                if (track.classId() == det.classId()) {
                    float iou = predicted[t].iou(det.box());
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
            take(frame, (int) c[1], (int) c[2], detections, trackTaken, detectionTaken, next, ids);
        }
        List<float[]> near = new ArrayList<>(); // {distance / track height, trackIndex, detectionIndex}
        for (int t = 0; t < tracks.size(); t++) {
            for (int d = 0; d < detections.size(); d++) {
                if (!trackTaken[t] && !detectionTaken[d] && tracks.get(t).classId() == detections.get(d).classId()) {
                    float distance = centreDistance(predicted[t], detections.get(d).box(), predicted[t].height());
                    if (distance <= MAX_CENTRE_DISTANCE && similarSize(predicted[t], detections.get(d).box())) {
                        near.add(new float[] {distance, t, d});
                    }
                }
            }
        }
        near.sort((a, b) -> a[0] != b[0] ? Float.compare(a[0], b[0])
                : a[1] != b[1] ? Float.compare(a[1], b[1]) : Float.compare(a[2], b[2]));
        for (float[] c : near) {
            take(frame, (int) c[1], (int) c[2], detections, trackTaken, detectionTaken, next, ids);
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

    /** Continues track {@code t} with detection {@code d} unless either is taken; updates the velocity. */
    private void take(long frame, int t, int d, List<Detection> detections, boolean[] trackTaken,
                      boolean[] detectionTaken, List<Track> next, long[] ids) {
        if (trackTaken[t] || detectionTaken[d]) {
            return;
        }
        trackTaken[t] = true;
        detectionTaken[d] = true;
        Track old = tracks.get(t);
        Box box = detections.get(d).box();
        float frames = Math.max(1, frame - old.lastSeenFrame());
        float mx = (centreX(box) - centreX(old.box())) / frames;
        float my = (centreY(box) - centreY(old.box())) / frames;
        float vx = old.hits() == 1 ? mx : VELOCITY_SMOOTHING * mx + (1 - VELOCITY_SMOOTHING) * old.vx();
        float vy = old.hits() == 1 ? my : VELOCITY_SMOOTHING * my + (1 - VELOCITY_SMOOTHING) * old.vy();
        // A box that jumps (a mask that grows or splits) must not fling the prediction away.
        float limit = MAX_SPEED_PER_SIZE * Math.max(box.width(), 1f);
        vx = Math.max(-limit, Math.min(limit, vx));
        vy = Math.max(-limit, Math.min(limit, vy));
        next.set(t, new Track(old.id(), old.classId(), box, frame, old.hits() + 1, vx, vy));
        ids[d] = old.id();
    }

    private static float centreX(Box b) {
        return b.x() + b.width() / 2;
    }

    private static float centreY(Box b) {
        return b.y() + b.height() / 2;
    }

    private static float centreDistance(Box a, Box b, float scale) {
        float dx = centreX(a) - centreX(b);
        float dy = centreY(a) - centreY(b);
        return (float) Math.sqrt(dx * dx + dy * dy) / Math.max(scale, 1f);
    }

    private static boolean similarSize(Box a, Box b) {
        float ratio = (a.height() + 1) / (b.height() + 1);
        return ratio >= 1 / MAX_SIZE_RATIO && ratio <= MAX_SIZE_RATIO;
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
