package io.bitvision.cli.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How well track ids follow people over a stretch of frames: every track id published from the first to the last
 * labelled frame, and for each labelled person the track ids of the detections that matched them in the labelled
 * frames. An id switch is a person matched by another track id than at their previous match.
 */
public final class TrackScore {
    private final Set<Long> published = new LinkedHashSet<>();
    private final Map<String, List<Long>> byPerson = new LinkedHashMap<>();
    private final Set<String> people = new LinkedHashSet<>();

    /** The track ids of one frame's published instances (every frame of the stretch). */
    public void published(long[] trackIds) {
        for (long id : trackIds) {
            published.add(id);
        }
    }

    /** A labelled frame: who each matched detection is, by {@code result.labelOf()}. */
    public void labelled(SceneLabels.Frame labels, int minHeight, long[] trackIds, BoxMatcher.FrameResult result) {
        for (int j = 0; j < labels.boxes().size(); j++) {
            if (labels.boxes().get(j)[3] >= minHeight) {
                people.add(labels.ids().get(j));
            }
        }
        for (int i = 0; i < trackIds.length; i++) {
            if (result.outcomes().get(i) == BoxMatcher.Outcome.HIT) {
                byPerson.computeIfAbsent(labels.ids().get(result.labelOf()[i]), p -> new ArrayList<>()).add(trackIds[i]);
            }
        }
    }

    /** People of at least the minimum height in some labelled frame. */
    public int people() {
        return people.size();
    }

    public int publishedTrackIds() {
        return published.size();
    }

    /** Published track ids per labelled person; NaN without people. */
    public double trackIdsPerPerson() {
        return people.isEmpty() ? Double.NaN : (double) published.size() / people.size();
    }

    public int idSwitches() {
        int switches = 0;
        for (List<Long> ids : byPerson.values()) {
            for (int i = 1; i < ids.size(); i++) {
                switches += ids.get(i).equals(ids.get(i - 1)) ? 0 : 1;
            }
        }
        return switches;
    }

    /** Distinct track ids that matched each person, by person id. */
    public Map<String, Integer> idsByPerson() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        byPerson.forEach((person, ids) -> counts.put(person, new LinkedHashSet<>(ids).size()));
        return counts;
    }
}
