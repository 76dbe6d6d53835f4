package io.bitvision.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class FingerprintsDocTest {
    private static final Path DOC = Path.of("FINGERPRINTS.md");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*([\\w.]+)\\s*\\|\\s*([0-9a-f]{16})\\s*\\|\\s*$");

    @Test
    void documentedFingerprintsAreTheComputedOnes() throws Exception {
        Map<String, String> documented = new TreeMap<>();
        for (String line : Files.readAllLines(DOC)) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                assertThat(documented.put(row.group(1), row.group(2))).as("%s listed twice", row.group(1)).isNull();
            }
        }
        Map<String, String> computed = new TreeMap<>();
        for (Schema schema : PublishedRecords.SCHEMAS) {
            computed.put(schema.getFullName(), AvroRecords.hex(AvroRecords.fingerprint(schema)));
        }

        assertThat(documented).as("the table in %s (update it with the computed values)", DOC).isEqualTo(computed);
    }
}
