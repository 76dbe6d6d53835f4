package io.bitvision.benchmarks.scale;

import io.bitvision.benchmarks.live.LiveWatcher;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** One scale step's verdict on made-up windows: who keeps up and who does not. */
class ScaleStepTest {
    private static LiveWatcher.Observed seen(String camera, long seq, int dropped, long ingest) {
        return new LiveWatcher.Observed(camera, seq, dropped, ingest, ingest + 100, ingest + 1000);
    }

    private static final ScaleBench.Options OPTIONS = new ScaleBench.Options(null, null, null, 1, 8, 10, 0, 2000, 0.95, 0.01);

    /** {@code frames} records per camera in a 10 s window, each reporting {@code droppedEach} drops. */
    private static List<LiveWatcher.Observed> window(Map<String, Integer> frames, int droppedEach) {
        List<LiveWatcher.Observed> out = new java.util.ArrayList<>();
        frames.forEach((camera, n) -> {
            for (int i = 0; i < n; i++) {
                out.add(seen(camera, i, droppedEach, 1000 + i * 100L));
            }
        });
        return out;
    }

    @Test
    void aSlotKeepsUpWhenEveryCameraGetsNinetyFivePercentOfItsFrames() {
        var ok = ScaleBench.stepJson(2, 10, OPTIONS, window(Map.of("cam-01", 100, "cam-02", 96), 0), Map.of(), null,
                JobStatus.RUNNING);
        assertThat(ok.get("keeps_up")).isEqualTo(true);
        assertThat((double) ok.get("processed_fps_per_camera_min")).isCloseTo(9.6, within(1e-9));
        assertThat((double) ok.get("processed_fps_total")).isCloseTo(19.6, within(1e-9));

        var slow = ScaleBench.stepJson(2, 10, OPTIONS, window(Map.of("cam-01", 100, "cam-02", 94), 0), Map.of(), null,
                JobStatus.RUNNING);
        assertThat(slow.get("keeps_up")).isEqualTo(false);
        assertThat((double) slow.get("processed_over_camera_fps_min")).isCloseTo(0.94, within(1e-9));
    }

    @Test
    void dropsBeyondTheBoundAMissingCameraOrAStoppedJobDoNotKeepUp() {
        var drops = ScaleBench.stepJson(1, 10, OPTIONS, window(Map.of("cam-01", 100), 1), Map.of(), null,
                JobStatus.RUNNING); // 100 processed, 100 dropped
        assertThat(drops.get("keeps_up")).isEqualTo(false);
        assertThat((long) drops.get("frames_dropped")).isEqualTo(100);
        var missing = ScaleBench.stepJson(2, 10, OPTIONS, window(Map.of("cam-01", 100), 0), Map.of(), null,
                JobStatus.RUNNING); // cam-02 committed nothing in the window
        assertThat(missing.get("keeps_up")).isEqualTo(false);
        var failed = ScaleBench.stepJson(1, 10, OPTIONS, window(Map.of("cam-01", 100), 0), Map.of(), null,
                JobStatus.FAILED);
        assertThat(failed.get("keeps_up")).isEqualTo(false);
    }

    @Test
    void aClusterRunsCamerasAreItsOwnIds() {
        List<String> ids = List.of("scale-n2-k1-cam-01", "scale-n2-k1-cam-02");
        var step = ScaleBench.stepJson(ids, 10, OPTIONS, window(Map.of("scale-n2-k1-cam-01", 100), 0), Map.of(), null,
                JobStatus.RUNNING);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> perCamera = (List<Map<String, Object>>) step.get("per_camera");
        assertThat(perCamera).extracting(c -> c.get("camera")).containsExactlyElementsOf(ids);
        assertThat(perCamera.get(1).get("processed")).isEqualTo(0L);
        assertThat(step.get("keeps_up")).isEqualTo(false);
    }
}
