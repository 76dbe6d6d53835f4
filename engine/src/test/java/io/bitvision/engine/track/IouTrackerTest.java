package io.bitvision.engine.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IouTrackerTest {
    private static IouTracker.Detection det(float x, float y) {
        return new IouTracker.Detection(0, new Box(x, y, 40, 80));
    }

    @Test
    void aWalkerKeepsItsIdAndANewcomerGetsANewOne() {
        IouTracker tracker = new IouTracker(0.3f, 5);
        long first = tracker.update(0, List.of(det(100, 100)))[0];
        for (int f = 1; f < 20; f++) {
            long[] ids = tracker.update(f, f == 10 ? List.of(det(100 + 5 * f, 100), det(500, 300)) : List.of(det(100 + 5 * f, 100)));
            assertThat(ids[0]).as("frame %d", f).isEqualTo(first);
            if (f == 10) {
                assertThat(ids[1]).isNotEqualTo(first);
            }
        }
    }

    @Test
    void aTrackEndsAfterMaxAgeAndAReturningObjectIsNew() {
        IouTracker tracker = new IouTracker(0.3f, 3);
        long id = tracker.update(0, List.of(det(10, 10)))[0];
        assertThat(tracker.update(3, List.of(det(10, 10)))[0]).isEqualTo(id);
        assertThat(tracker.update(7, List.of())).isEmpty();
        assertThat(tracker.tracks()).isEmpty();
        assertThat(tracker.update(8, List.of(det(10, 10)))[0]).isNotEqualTo(id);
    }

    @Test
    void classesNeverShareATrack() {
        IouTracker tracker = new IouTracker(0.3f, 3);
        long a = tracker.update(0, List.of(new IouTracker.Detection(0, new Box(0, 0, 10, 10))))[0];
        long b = tracker.update(1, List.of(new IouTracker.Detection(1, new Box(0, 0, 10, 10))))[0];
        assertThat(b).isNotEqualTo(a);
    }

    @Test
    void restoringASnapshotMidStreamGivesTheSameIdsAsAnUninterruptedRun() throws IOException {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            List<List<IouTracker.Detection>> frames = randomWalk(rnd, 40);
            IouTracker straight = new IouTracker(0.3f, 4);
            List<long[]> expected = new ArrayList<>();
            for (int f = 0; f < frames.size(); f++) {
                expected.add(straight.update(f, frames.get(f)));
            }
            int cut = rnd.nextInt(frames.size());
            IouTracker before = new IouTracker(0.3f, 4);
            for (int f = 0; f < cut; f++) {
                before.update(f, frames.get(f));
            }
            IouTracker after = new IouTracker(0.3f, 4);
            after.restore(TrackerSnapshot.fromBytes(before.snapshot().toBytes()));
            for (int f = cut; f < frames.size(); f++) {
                assertThat(after.update(f, frames.get(f))).as("trial %d frame %d", trial, f).containsExactly(expected.get(f));
            }
        }
    }

    @Test
    void readsTheCommittedVersionOneSnapshotAsTracksThatHaveNotMoved() throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of("src/test/resources/track/tracker-snapshot-v1.bin"));
        TrackerSnapshot snapshot = TrackerSnapshot.fromBytes(bytes);
        assertThat(snapshot).isEqualTo(new TrackerSnapshot(7, List.of(new Track(3, 0, new Box(1.5f, 2, 30, 60), 41, 12),
                new Track(6, 1, new Box(100, 200, 10, 20), 40, 1))));
        assertThat(snapshot.tracks()).allSatisfy(t -> assertThat(t.vx()).isZero());
    }

    @Test
    void readsAndWritesTheCommittedVersionTwoSnapshot() throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of("src/test/resources/track/tracker-snapshot-v2.bin"));
        TrackerSnapshot snapshot = TrackerSnapshot.fromBytes(bytes);
        assertThat(snapshot).isEqualTo(committedSnapshot());
        assertThat(snapshot.toBytes()).isEqualTo(bytes);
    }

    @Test
    void twoWalkersWhoCrossKeepTheirIdsWherePlainIouWouldSwapThem() {
        // 20 px wide boxes meeting head on at 8 px per frame. At frame 9, A's last box (164) overlaps B's new box
        // (160) at IoU 0.67 but A's own new box (172) only at 0.43: plain IoU matching swaps them there, the
        // predicted positions (172 and 160) do not.
        IouTracker tracker = new IouTracker(0.3f, 5);
        long[] start = tracker.update(0, List.of(thin(100, 100), thin(232, 100)));
        for (int f = 1; f <= 20; f++) {
            long[] ids = tracker.update(f, List.of(thin(100 + 8 * f, 100), thin(232 - 8 * f, 100)));
            assertThat(ids).as("frame %d", f).containsExactly(start);
        }
    }

    @Test
    void aBoxThatJumpsPastTheIouThresholdButStaysNearIsTheSameObject() {
        IouTracker tracker = new IouTracker(0.3f, 10);
        long id = tracker.update(0, List.of(thin(100, 100)))[0];
        // 15 px to the right: IoU 5 / 35 = 0.14, centre 15 px away = 0.19 box heights.
        assertThat(tracker.update(1, List.of(thin(115, 100)))[0]).isEqualTo(id);
        // A box twice the height is another object even when its centre is near.
        assertThat(tracker.update(2, List.of(new IouTracker.Detection(0, new Box(115, 60, 20, 160))))[0]).isNotEqualTo(id);
    }

    @Test
    void aWalkerMissedForAFewFramesIsPickedUpWhereTheMotionSaysItIs() {
        IouTracker tracker = new IouTracker(0.3f, 10);
        long id = tracker.update(0, List.of(thin(100, 100)))[0];
        for (int f = 1; f <= 5; f++) {
            assertThat(tracker.update(f, List.of(thin(100 + 8 * f, 100)))[0]).isEqualTo(id);
        }
        for (int f = 6; f <= 9; f++) {
            tracker.update(f, List.of()); // occluded: 32 px on, far past any overlap with the last box
        }
        assertThat(tracker.update(10, List.of(thin(180, 100)))[0]).isEqualTo(id);
    }

    @Test
    void aJumpingBoxDoesNotFlingThePredictionAway() {
        IouTracker tracker = new IouTracker(0.3f, 10);
        tracker.update(0, List.of(thin(100, 100)));
        tracker.update(1, List.of(thin(160, 100))); // a 60 px jump on a 20 px wide box
        Track track = tracker.tracks().getFirst();
        assertThat(Math.abs(track.vx())).isLessThanOrEqualTo(IouTracker.MAX_SPEED_PER_SIZE * 20);
    }

    private static IouTracker.Detection thin(float x, float y) {
        return new IouTracker.Detection(0, new Box(x, y, 20, 80));
    }

    @Test
    void unknownVersionsAndAbsurdCountsAreRefused() {
        byte[] bytes = committedSnapshot().toBytes();
        bytes[0] = 9;
        assertThatThrownBy(() -> TrackerSnapshot.fromBytes(bytes)).isInstanceOf(IOException.class).hasMessageContaining("version 9");
        byte[] truncated = java.util.Arrays.copyOf(committedSnapshot().toBytes(), 20);
        assertThatThrownBy(() -> TrackerSnapshot.fromBytes(truncated)).isInstanceOf(IOException.class);
    }

    static TrackerSnapshot committedSnapshot() {
        return new TrackerSnapshot(7, List.of(new Track(3, 0, new Box(1.5f, 2, 30, 60), 41, 12, 2.5f, -0.75f),
                new Track(6, 1, new Box(100, 200, 10, 20), 40, 1)));
    }

    /** Writes the committed snapshot file; run once when a new version is introduced. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of("engine/src/test/resources/track/tracker-snapshot-v" + TrackerSnapshot.CURRENT_VERSION + ".bin");
        Files.createDirectories(out.getParent());
        Files.write(out, committedSnapshot().toBytes());
    }

    private static List<List<IouTracker.Detection>> randomWalk(SplittableRandom rnd, int frames) {
        int objects = 1 + rnd.nextInt(5);
        float[][] pos = new float[objects][2];
        for (float[] p : pos) {
            p[0] = rnd.nextInt(600);
            p[1] = rnd.nextInt(400);
        }
        List<List<IouTracker.Detection>> out = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            List<IouTracker.Detection> dets = new ArrayList<>();
            for (int o = 0; o < objects; o++) {
                pos[o][0] += rnd.nextInt(-6, 7);
                pos[o][1] += rnd.nextInt(-6, 7);
                if (rnd.nextInt(6) != 0) {
                    dets.add(new IouTracker.Detection(o % 2, new Box(pos[o][0], pos[o][1], 40, 80)));
                }
            }
            out.add(dets);
        }
        return out;
    }
}
