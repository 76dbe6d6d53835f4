package io.bitvision.cli.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs training/'s Python tests (Debian python3-torch): the exporter's integer form equals the trained network,
 * the shipped model file is what the committed checkpoint exports to, the Java test's reference values are what
 * PyTorch computes today, RLE and the SparseInst loss behave.
 */
class TrainingPythonTest {
    private static final String PYTHON = System.getProperty("bitvision.python", "/usr/bin/python3");
    private static final Path TRAINING = Path.of("..", "training");

    @Test
    void trainingUnitTestsPass() throws Exception {
        Path log = Files.createTempFile("training-tests", ".log");
        ProcessBuilder builder = new ProcessBuilder(PYTHON, "-m", "unittest", "discover", "-s", "tests", "-t", ".", "-v")
                .directory(TRAINING.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OPENBLAS_NUM_THREADS", "1");
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process python = builder.start();
        if (!python.waitFor(15, TimeUnit.MINUTES)) {
            python.destroyForcibly();
            fail("training tests did not finish in 15 minutes");
        }
        String output = Files.readString(log);
        assertThat(python.exitValue()).as(output + "\n(needs Debian python3-torch python3-scipy python3-opencv; CI installs them)")
                .isZero();
        Matcher ran = Pattern.compile("Ran (\\d+) tests?").matcher(output);
        assertThat(ran.find()).as(output).isTrue();
        assertThat(Integer.parseInt(ran.group(1))).as("python tests run").isGreaterThanOrEqualTo(8);
        assertThat(output).doesNotContain("skipped");
    }
}
