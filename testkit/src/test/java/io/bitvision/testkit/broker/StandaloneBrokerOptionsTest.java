package io.bitvision.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The broker's options as its own process and {@code ./bitvision broker} read them. */
class StandaloneBrokerOptionsTest {

    @Test
    void defaults() {
        assertThat(StandaloneBroker.Options.of(null, null, Path.of(".bitvision/kafka")))
                .isEqualTo(new StandaloneBroker.Options(9092, 9093, Path.of(".bitvision/kafka")));
    }

    @Test
    void controllerPortFollowsPortUnlessGiven() {
        assertThat(StandaloneBroker.Options.of(19092, null, Path.of("d")).controllerPort()).isEqualTo(19093);
        assertThat(StandaloneBroker.Options.of(19092, 29093, Path.of("/var/k")))
                .isEqualTo(new StandaloneBroker.Options(19092, 29093, Path.of("/var/k")));
    }

    @Test
    void badOptionsAreUsageErrorsThatSayWhy() {
        assertThat(usageError("--port")).contains("Missing required parameter for option '--port'");
        assertThat(usageError("--port", "x")).contains("Invalid value for option '--port'").contains("'x'");
        assertThat(usageError("--port", "70000")).contains("1..65535");
        assertThat(usageError("--port", "65535")).contains("--controller-port");
        assertThat(usageError("--port", "5", "--controller-port", "5")).contains("differ");
        assertThat(usageError("--bogus", "1")).contains("Unknown options: '--bogus'");
    }

    @Test
    void helpPrintsTheOptions() {
        StringWriter out = new StringWriter();
        int status = new CommandLine(new StandaloneBroker.BrokerCommand()).setOut(new PrintWriter(out)).execute("--help");
        assertThat(status).isZero();
        assertThat(out.toString()).contains("--port=PORT", "--controller-port=PORT", "--data-dir=DIR");
    }

    /** What a bad command line prints; its exit status must be 2. */
    private static String usageError(String... args) {
        StringWriter err = new StringWriter();
        int status = new CommandLine(new StandaloneBroker.BrokerCommand()).setErr(new PrintWriter(err)).execute(args);
        assertThat(status).as("exit status of %s", String.join(" ", args)).isEqualTo(2);
        return err.toString();
    }
}
