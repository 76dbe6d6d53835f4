package io.bitvision.benchmarks.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;

/** The scale bench's verdict, the live watcher's counts and the memory readers on made-up inputs. */
class SoakPartsTest {
    private static LiveWatcher.Observed seen(String camera, long seq, int dropped, long ingest) {
        return new LiveWatcher.Observed(camera, seq, dropped, ingest, ingest + 100, ingest + 1000);
    }

    @Test
    void gapsExplainedByDroppedFramesAreNotLosses() {
        LiveWatcher.CameraTotals t = new LiveWatcher.CameraTotals();
        LiveWatcher.count(t, seen("a", 2, 2, 0));  // frames 0 and 1 dropped, reported on frame 2
        LiveWatcher.count(t, seen("a", 3, 0, 0));
        LiveWatcher.count(t, seen("a", 6, 1, 0));  // 2 missing, 1 explained
        LiveWatcher.count(t, seen("a", 6, 0, 0));  // duplicate
        assertThat(t.records).isEqualTo(4);
        assertThat(t.framesDropped).isEqualTo(3);
        assertThat(t.unexplainedGaps).isEqualTo(1);
        assertThat(t.duplicates).isEqualTo(1);
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

    @Test
    void theFaultChartBinsFramesBySecondReadAndDrawsEveryRun(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        List<LiveWatcher.Observed> observed = List.of(seen("cam-01", 0, 0, 10_000), seen("cam-01", 1, 0, 10_999),
                seen("cam-01", 2, 0, 11_000), seen("flaky", 0, 0, 12_500), seen("cam-01", 3, 0, 9_999),
                seen("cam-01", 4, 0, 13_000));
        FaultChart.Timeline t = FaultChart.timeline("run", observed, 10_000, 3, List.of(new long[] {11_500, 12_000}));
        assertThat(t.framesPerSecond().keySet()).containsExactly("cam-01", "flaky");
        assertThat(t.framesPerSecond().get("cam-01")).containsExactly(2, 1, 0); // before and after the window: out
        assertThat(t.framesPerSecond().get("flaky")).containsExactly(0, 0, 1);
        assertThat(t.outages().get(0)).containsExactly(1.5, 2.0);
        java.nio.file.Path png = dir.resolve("faults.png");
        FaultChart.write(png, List.of(t, t), 10, "test");
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
        assertThat(image.getHeight()).isEqualTo(90 + 2 * Charts.PANEL_HEIGHT);
    }

    @Test
    void readsRssFromProcStatusAndTheCommittedTotalFromNativeMemoryTracking() {
        long[] kib = MemorySampler.parseStatus("Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  735744 kB\n"
                + "RssAnon:\t  690000 kB\nRssFile:\t   45000 kB\nRssShmem:\t 744 kB\n");
        assertThat(kib).containsExactly(735744, 690000, 45000);
        double[] nmt = MemorySampler.nmtCommitted("""
                Native Memory Tracking:

                Total: reserved=3391519KB, committed=1344645KB
                       malloc: 66165KB #171528
                       mmap:   reserved=3325354KB, committed=1278480KB

                -                 Java Heap (reserved=1048576KB, committed=1048576KB)
                                            (mmap: reserved=1048576KB, committed=1048576KB)
                """);
        assertThat(nmt[0]).isEqualTo(1344645 / 1024.0);
        assertThat(nmt[1]).isEqualTo(1024.0);
        assertThat(MemorySampler.nmtCommitted("Native memory tracking is not enabled")[0]).isNaN();
    }
}
