package io.bitvision.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The calibration threshold on known scores: training's threshold_at_far, without any model. */
class FarThresholdTest {
    private static final double[] IMPOSTOR = {0.3, 0.9, 0.1, 0.7, 0.5, 0.8, 0.2, 0.6, 0.0, 0.4}; // 0.9 .. 0.0
    private static final double[] GENUINE = {0.95, 0.85, 0.75, 0.65, 0.55};

    @Test
    void theThresholdIsTheKthHighestImpostorScorePlusEpsilon() {
        // k = floor(far * 10): far 0.1 -> k 1 -> the second highest, 0.8; one impostor (0.9) is accepted.
        assertThat(FarThreshold.threshold(IMPOSTOR, 0.1)).isEqualTo(0.8 + 1e-6);
        assertThat(FarThreshold.threshold(IMPOSTOR, 0.25)).isEqualTo(0.7 + 1e-6);
        // k 0: above the highest impostor, FAR 0.
        assertThat(FarThreshold.threshold(IMPOSTOR, 0.05)).isEqualTo(0.9 + 1e-6);
        // k = n: every impostor accepted, the threshold is the lowest score itself.
        assertThat(FarThreshold.threshold(IMPOSTOR, 1.0)).isEqualTo(0.0);
        assertThat(IMPOSTOR).as("the input is not sorted in place").startsWith(0.3, 0.9);
    }

    @Test
    void ratesAtTheThreshold() {
        FarThreshold.Rates rates = FarThreshold.at(GENUINE, IMPOSTOR, 0.1);

        assertThat(rates.threshold()).isEqualTo(0.8 + 1e-6);
        assertThat(rates.far()).isEqualTo(0.1); // 0.9
        assertThat(rates.tar()).isEqualTo(0.4); // 0.95, 0.85 of 5
        assertThat(rates.accuracy()).isEqualTo((2 + 9) / 15.0);
        assertThat(rates.resolvable()).isTrue();
        assertThat(FarThreshold.at(GENUINE, IMPOSTOR, 0.01).resolvable()).as("10 impostor pairs cannot show 1%").isFalse();
        assertThat(FarThreshold.at(GENUINE, IMPOSTOR, 0.01).far()).isZero();
    }

    @Test
    void tiesAtTheKthScoreAllFallBelowTheThreshold() {
        double[] tied = {0.5, 0.5, 0.5, 0.1};
        FarThreshold.Rates rates = FarThreshold.at(new double[] {0.5, 0.6}, tied, 0.25);

        assertThat(rates.threshold()).isEqualTo(0.5 + 1e-6);
        assertThat(rates.far()).as("FAR <= target: none of the tied impostors passes").isZero();
        assertThat(rates.tar()).as("a genuine pair at 0.5 does not pass either").isEqualTo(0.5);
    }

    @Test
    void noPairsOfOneKindIsAnError() {
        assertThatThrownBy(() -> FarThreshold.at(GENUINE, new double[0], 0.01))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no impostor pairs");
        assertThatThrownBy(() -> FarThreshold.at(new double[0], IMPOSTOR, 0.01))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no genuine pairs");
    }

    /** The same numbers as training/bitvision_train/face/train.py's threshold_at_far (which rounds to 4 decimals). */
    @Test
    void agreesWithTrainingsThresholdAtFar() throws Exception {
        Random random = new Random(7);
        double[] genuine = new double[300];
        double[] impostor = new double[4000];
        for (int i = 0; i < genuine.length; i++) {
            genuine[i] = (float) Math.min(1, 0.6 + 0.2 * random.nextGaussian());
        }
        for (int i = 0; i < impostor.length; i++) {
            impostor[i] = (float) Math.max(-1, 0.1 + 0.2 * random.nextGaussian());
        }
        ObjectMapper json = new ObjectMapper();
        String script = """
                import json, sys
                import numpy as np
                sys.path.insert(0, '.')
                from bitvision_train.face.train import threshold_at_far
                data = json.load(sys.stdin)
                scores = np.array(data['genuine'] + data['impostor'], dtype=np.float64)
                same = np.array([True] * len(data['genuine']) + [False] * len(data['impostor']))
                print(json.dumps([threshold_at_far(scores, same, far) for far in data['fars']]))
                """;
        double[] fars = {0.1, 0.01, 0.001};
        String input = json.writeValueAsString(java.util.Map.of("genuine", genuine, "impostor", impostor, "fars", fars));
        ProcessBuilder builder = new ProcessBuilder(System.getProperty("bitvision.python", "/usr/bin/python3"), "-c", script)
                .directory(Path.of("..", "training").toFile());
        builder.environment().put("OPENBLAS_NUM_THREADS", "1");
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process python = builder.start();
        python.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        python.getOutputStream().close();
        byte[] stderr = python.getErrorStream().readAllBytes();
        String stdout = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!python.waitFor(3, TimeUnit.MINUTES)) {
            python.destroyForcibly();
            fail("python did not finish");
        }
        assertThat(python.exitValue()).as(new String(stderr, StandardCharsets.UTF_8)
                + "\n(needs Debian python3-torch, as training's tests do)").isZero();
        JsonNode results = json.readTree(stdout);
        for (int i = 0; i < fars.length; i++) {
            FarThreshold.Rates rates = FarThreshold.at(genuine, impostor, fars[i]);
            JsonNode py = results.get(i);
            String what = "far " + fars[i] + ": python " + py + ", java " + rates;
            assertThat(rates.threshold()).as(what).isCloseTo(py.get("threshold").asDouble(), within(5.1e-5));
            assertThat(rates.far()).as(what).isCloseTo(py.get("far").asDouble(), within(5.1e-5));
            assertThat(rates.tar()).as(what).isCloseTo(py.get("tar").asDouble(), within(5.1e-5));
            assertThat(rates.accuracy()).as(what).isCloseTo(py.get("accuracy").asDouble(), within(5.1e-5));
        }
        assertThat(Arrays.stream(impostor).filter(s -> s >= FarThreshold.threshold(impostor, 0.01)).count())
                .isLessThanOrEqualTo(40);
    }
}
