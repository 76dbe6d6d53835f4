package io.bitvision.benchmarks.faults;

import io.bitvision.benchmarks.live.Charts;
import io.bitvision.benchmarks.live.LiveWatcher;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The fault bench's timeline and chart on made-up observations. */
class FaultChartTest {
    private static LiveWatcher.Observed seen(String camera, long seq, int dropped, long ingest) {
        return new LiveWatcher.Observed(camera, seq, dropped, ingest, ingest + 100, ingest + 1000);
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
}
