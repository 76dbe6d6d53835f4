package io.bitvision.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Pins down why every decoding JVM (Flink TaskManagers included) needs
 * -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.bitvision.schemas, and that AvroRecords says so.
 */
class TrustedPackageTest {
    private static final String PROPERTY = "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.bitvision.schemas";

    @Test
    void withoutThePropertyDecodingFailsAndNamesTheFix() throws Exception {
        assertThat(runFreshJvm(List.of())).contains("Avro refused to instantiate").contains(PROPERTY);
    }

    @Test
    void withThePropertyDecodingWorks() throws Exception {
        assertThat(runFreshJvm(List.of(PROPERTY))).isEqualTo("decoded");
    }

    private static String runFreshJvm(List<String> options) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), DecodeInFreshJvm.class.getName()));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes());
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).as("the JVM finished").isTrue();
        return output.lines().filter(line -> !line.startsWith("SLF4J")).reduce("", String::concat);
    }
}
