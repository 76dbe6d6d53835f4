package io.bitvision.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitvision.cli.BitvisionCli;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code soak} for 30 seconds (the real run is 20 minutes, by hand): one looping replay camera through the whole
 * job, samples, the report and the chart. 15 seconds was once too short in the full suite on 2 cores: right after
 * the browser test the process got no CPU for its first 18 seconds and committed nothing. The growth verdict of so short a run is noise, so only its presence is
 * checked; MemoryGrowthTest (benchmarks) checks the arithmetic.
 */
class SoakCommandITCase {
    @Test
    void aShortSoakSamplesMemoryAndCommitsFrames(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("soak.json");
        int status = BitvisionCli.execute(System.out, System.err, "soak", "--minutes", "0.5", "--cameras", "1",
                "--sample-s", "3", "--gc-every-s", "3", "--video", "/usr/share/doc/opencv-doc/examples/data/vtest.avi",
                "--model", "../models/person-v1.bvm", "--out", out.toString());
        assertThat(status).isIn(0, 1);
        String json = Files.readString(out);
        assertThat(json).contains("\"samples\": [", "\"rss_mib\"", "\"heap_after_gc_mib\"", "\"duplicates\": 0",
                "\"job_state_at_end\": \"RUNNING\"");
        long committed = Long.parseLong(json.replaceAll("(?s).*\"records_committed\": (\\d+).*", "$1"));
        assertThat(committed).isPositive();
        BufferedImage chart = ImageIO.read(dir.resolve("soak.png").toFile());
        assertThat(chart.getWidth()).isEqualTo(1200);
    }
}
