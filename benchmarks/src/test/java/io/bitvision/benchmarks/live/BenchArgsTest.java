package io.bitvision.benchmarks.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bench commands' options ({@link BenchArgs}): values, defaults, and what bad options report, in which order.
 * The cases that get past the checks name --video, so none needs the sample video.
 */
class BenchArgsTest {
    @BeforeAll
    static void noDefaultModelHere() {
        assumeThat(Files.exists(BenchArgs.DEFAULT_MODEL)).isFalse(); // tests run in jobs/, which has no models/
    }

    @Test
    void pipelineOptions() throws Exception {
        assertThat(PipelineBench.parse(new String[] {"--video", "v.avi", "--out", "o.json", "--decode-runs", "4",
                "--what-if", "--engine-runs", "2", "--e2e-runs", "1", "--checkpoint-ms", "7", "--warmup-frames", "-5",
                "--jfr", "x.jfr", "--model", "m.bvm"}))
                .isEqualTo(new PipelineBench.Options(Path.of("v.avi"), Path.of("o.json"), 4, 2, 1, 7, 0, Path.of("x.jfr"),
                        true, Path.of("m.bvm")));
        assertThat(PipelineBench.parse(new String[] {"--video", "v.avi"}))
                .isEqualTo(new PipelineBench.Options(Path.of("v.avi"), Path.of("bench-results/pipeline.json"), 3, 3, 2,
                        1000, 300, null, false, null));
        // A flag is one only where an option is expected.
        assertThat(PipelineBench.parse(new String[] {"--video", "--what-if"}).video()).isEqualTo(Path.of("--what-if"));
        assertThat(PipelineBench.parse(new String[] {"--video", "--what-if"}).whatIf()).isFalse();
        assertThatThrownBy(() -> PipelineBench.parse(new String[] {"--what-if", "--video"}))
                .hasMessage("--video needs a value");
        assertThatThrownBy(() -> PipelineBench.parse(new String[] {"--decode-runs", "0", "--video"}))
                .hasMessage("--decode-runs must be at least 1, was 0");
        assertThatThrownBy(() -> PipelineBench.parse(new String[] {"--bogus", "x", "--video"}))
                .hasMessage("unknown option --bogus");
        assertThatThrownBy(() -> PipelineBench.parse(new String[] {"--bogus"})).hasMessage("--bogus needs a value");
    }

    @Test
    void scaleOptions() throws Exception {
        assertThat(ScaleBench.parse(new String[] {"--video", "v.avi", "--model", "m.bvm", "--from", "2", "--cluster",
                "--max-cameras", "3", "--seconds", "5", "--warmup-s", "0", "--checkpoint-ms", "100", "--keep-up", "0.5",
                "--max-drop", "0", "--out", "s.json"}))
                .isEqualTo(new ScaleBench.Options(Path.of("v.avi"), Path.of("s.json"), Path.of("m.bvm"), 2, 3, 5, 0, 100,
                        0.5, 0.0, true));
        assertThat(ScaleBench.parse(new String[] {"--video", "v.avi"}))
                .isEqualTo(new ScaleBench.Options(Path.of("v.avi"), Path.of("bench-results/scale.json"), null, 1, 8, 60,
                        15, 2000, 0.95, 0.01, false));
        assertThatThrownBy(() -> ScaleBench.parse(new String[] {"--cluster", "--seconds"}))
                .hasMessage("--seconds needs a value");
        assertThatThrownBy(() -> ScaleBench.parse(new String[] {"--seconds", "4", "--video"}))
                .hasMessage("--seconds must be at least 5, was 4");
        assertThatThrownBy(() -> ScaleBench.parse(new String[] {"--keep-up", "1.5", "--video", "v.avi"}))
                .hasMessage("--keep-up must be in [0, 1], was 1.5");
        assertThatThrownBy(() -> ScaleBench.parse(new String[] {"--from", "4", "--max-cameras", "3", "--video", "v"}))
                .hasMessage("--from 4 is above --max-cameras 3");
        assertThatThrownBy(() -> ScaleBench.parse(new String[] {"--from", "x"}))
                .isInstanceOf(NumberFormatException.class);
    }

    @Test
    void faultOptions() throws Exception {
        assertThat(FaultBench.parse(new String[] {"--video", "v.avi", "--out", "f.json", "--model", "m.bvm",
                "--healthy", "2", "--seconds", "6", "--warmup-s", "1", "--checkpoint-ms", "500", "--outage-s", "3",
                "--flap-every-s", "9", "--keep-up", "0.9", "--max-drop", "0.2"}))
                .isEqualTo(new FaultBench.Options(Path.of("v.avi"), Path.of("f.json"), Path.of("m.bvm"), 2, 6, 1, 500, 3,
                        9, 0.9, 0.2));
        assertThat(FaultBench.parse(new String[] {"--video", "v.avi"}))
                .isEqualTo(new FaultBench.Options(Path.of("v.avi"), Path.of("bench-results/faults.json"), null, 1, 60,
                        15, 2000, 5, 20, 0.95, 0.01));
        assertThatThrownBy(() -> FaultBench.parse(new String[] {"--outage-s", "20", "--video", "v.avi"}))
                .hasMessage("--outage-s 20 must be below --flap-every-s 20");
        assertThatThrownBy(() -> FaultBench.parse(new String[] {"--cluster", "x"}))
                .hasMessage("unknown option --cluster");
        assertThatThrownBy(() -> FaultBench.parse(new String[] {"--flap-every-s", "1", "--video"}))
                .hasMessage("--flap-every-s must be at least 2, was 1");
    }

    @Test
    void soakOptions() throws Exception {
        assertThat(SoakRun.parse(new String[] {"--minutes", "2", "--cameras", "3", "--video", "v.avi", "--model", "m.bvm",
                "--out", "r/s.json", "--sample-s", "20", "--gc-every-s", "5", "--warmup-s", "10", "--checkpoint-ms", "300",
                "--rss-bound-mib", "8", "--heap-bound-mib", "4.5"}))
                .isEqualTo(new SoakRun.Options(2, 3, Path.of("v.avi"), Path.of("m.bvm"), Path.of("r/s.json"),
                        Path.of("r/s.png"), 20, 20, 10, 300, 8, 4.5));
        assertThat(SoakRun.parse(new String[] {"--minutes", "1", "--video", "v.avi", "--out", "s", "--png", "p.png"}))
                .isEqualTo(new SoakRun.Options(1, 2, Path.of("v.avi"), null, Path.of("s"), Path.of("p.png"), 10, 30, 15,
                        2000, 64, 32));
        assertThatThrownBy(() -> SoakRun.parse(new String[] {"--video", "v.avi"}))
                .hasMessage("--minutes N is required");
        assertThatThrownBy(() -> SoakRun.parse(new String[] {"--minutes", "1", "--warmup-s", "60", "--video", "v"}))
                .hasMessage("--warmup-s 60.0 leaves nothing of a 1.0-minute run");
        assertThatThrownBy(() -> SoakRun.parse(new String[] {"--minutes", "-1", "--video"}))
                .hasMessage("--minutes must be positive, was -1");
    }

    @Test
    void badOptionsPrintTheErrorAndTheUsageAndExitWithTwo() throws Exception {
        assertThat(runWithStderr(() -> PipelineBench.run(new String[] {"--bogus", "x"}))).isEqualTo("""
                2
                bench pipeline: unknown option --bogus
                usage: ./bitvision bench pipeline [--video FILE] [--out bench-results/pipeline.json] [--decode-runs 3] \
                [--engine-runs 3] [--e2e-runs 2] [--checkpoint-ms 1000] [--warmup-frames 300] [--jfr FILE.jfr] \
                [--what-if] [--model models/person-v1.bvm]
                """);
        assertThat(runWithStderr(() -> ScaleBench.run(new String[] {"--from"}))).isEqualTo("""
                2
                bench scale: --from needs a value
                usage: ./bitvision bench scale [--video FILE] [--model M.bvm] [--from 1] [--max-cameras 8] \
                [--seconds 60] [--warmup-s 15] [--checkpoint-ms 2000] [--keep-up 0.95] [--max-drop 0.01] \
                [--out bench-results/scale.json] [--cluster]
                """);
        assertThat(runWithStderr(() -> FaultBench.run(new String[] {"--healthy", "0"}))).isEqualTo("""
                2
                bench faults: --healthy must be at least 1, was 0
                usage: ./bitvision bench faults [--video FILE] [--model M.bvm] [--healthy 1] [--seconds 60] \
                [--warmup-s 15] [--checkpoint-ms 2000] [--outage-s 5] [--flap-every-s 20] [--keep-up 0.95] \
                [--max-drop 0.01] [--out bench-results/faults.json]
                """);
        assertThat(runWithStderr(() -> SoakRun.run(new String[] {"--video", "v.avi"}))).isEqualTo("""
                2
                soak: --minutes N is required
                usage: ./bitvision soak --minutes N [--cameras 2] [--video FILE] [--model M.bvm] [--sample-s 10] \
                [--gc-every-s 30] [--warmup-s 120] [--checkpoint-ms 2000] [--rss-bound-mib 64] [--heap-bound-mib 32] \
                [--out bench-results/soak.json] [--png bench-results/soak.png]
                """);
    }

    private interface Command {
        int run() throws Exception;
    }

    /** The exit status, then what the command printed on stderr. */
    private static String runWithStderr(Command command) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = command.run();
            return status + "\n" + err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
        } finally {
            System.setErr(original);
        }
    }
}
