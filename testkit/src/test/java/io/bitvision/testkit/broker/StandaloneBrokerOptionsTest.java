package io.bitvision.testkit.broker;

import io.bitvision.testkit.broker.StandaloneBroker.Options;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StandaloneBrokerOptionsTest {

    @Test
    void defaults() {
        assertThat(Options.parse(new String[0])).isEqualTo(new Options(9092, 9093, Path.of(".bitvision/kafka")));
    }

    @Test
    void controllerPortFollowsPortUnlessGiven() {
        assertThat(Options.parse(new String[] {"--port", "19092"}).controllerPort()).isEqualTo(19093);
        assertThat(Options.parse(new String[] {"--port=19092", "--controller-port=29093", "--data-dir=/var/k"}))
                .isEqualTo(new Options(19092, 29093, Path.of("/var/k")));
    }

    @Test
    void helpAndErrors() {
        assertThat(Options.parse(new String[] {"--help"})).isNull();
        assertThatThrownBy(() -> Options.parse(new String[] {"--port"})).hasMessageContaining("missing value");
        assertThatThrownBy(() -> Options.parse(new String[] {"--port", "x"})).hasMessageContaining("port number");
        assertThatThrownBy(() -> Options.parse(new String[] {"--port", "70000"})).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> Options.parse(new String[] {"--port", "65535"})).hasMessageContaining("--controller-port");
        assertThatThrownBy(() -> Options.parse(new String[] {"--port", "5", "--controller-port", "5"}))
                .hasMessageContaining("differ");
        assertThatThrownBy(() -> Options.parse(new String[] {"--bogus", "1"})).hasMessageContaining("unknown option");
    }
}
