package io.bitvision.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every schema released so far (src/test/resources/released/vN) and today's must read each other's data. */
class ReleasedSchemasTest {
    private static final Path RELEASED = Path.of("src/test/resources/released");
    private static final Map<String, Schema> CURRENT = PublishedRecords.SCHEMAS.stream()
            .collect(Collectors.toMap(Schema::getFullName, Function.identity()));

    static List<Path> releasedSchemaFiles() throws IOException {
        try (Stream<Path> files = Files.walk(RELEASED)) {
            return files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
        }
    }

    @Test
    void everyPublishedRecordHasAReleasedBaseline() throws IOException {
        List<String> released = releasedSchemaFiles().stream().map(ReleasedSchemasTest::parse).map(Schema::getFullName)
                .toList();

        assertThat(released).containsAll(CURRENT.keySet());
    }

    @ParameterizedTest
    @MethodSource("releasedSchemaFiles")
    void currentSchemaIsFullyCompatibleWithTheReleasedOne(Path releasedFile) {
        Schema released = parse(releasedFile);
        Schema current = CURRENT.get(released.getFullName());

        assertThat(current).as("%s was released and must still be published", released.getFullName()).isNotNull();
        assertThat(FullCompatibility.problems(current, released)).as(releasedFile.toString()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "new field without default | FrameMasks | \"fields\": [ | \"fields\": [{\"name\": \"zone\", \"type\": \"string\"},",
        "widened int               | FrameMasks | \"name\": \"frame_width\", \"type\": \"int\" | \"name\": \"frame_width\", \"type\": \"long\"",
        "renamed field             | FrameMasks | \"name\": \"pts_us\" | \"name\": \"pts_micros\"",
        "removed enum symbol       | WatchlistUpdate | [\"UPSERT\", \"DELETE\"] | [\"UPSERT\"]",
        "added enum symbol         | CameraHealth | \"ENDED\"] | \"ENDED\", \"PAUSED\"]",
        "nullable made required    | DeadLetter | \"type\": [\"null\", \"bytes\"], \"default\": null | \"type\": \"bytes\""})
    void theGuardRejectsIncompatibleChanges(String change, String record, String from, String to) throws IOException {
        Schema released = parse(RELEASED.resolve("v1/" + record + ".avsc"));
        Schema changed = edited(record, from, to);

        assertThat(FullCompatibility.problems(changed, released)).as(change).isNotEmpty();
    }

    @Test
    void theGuardAcceptsAnOptionalField() throws IOException {
        Schema released = parse(RELEASED.resolve("v1/FrameMasks.avsc"));
        Schema changed = edited("FrameMasks", "\"fields\": [",
                "\"fields\": [{\"name\": \"zone\", \"type\": [\"null\", \"string\"], \"default\": null},");

        assertThat(FullCompatibility.problems(changed, released)).isEmpty();
    }

    private static Schema edited(String record, String from, String to) throws IOException {
        String text = Files.readString(RELEASED.resolve("v1/" + record + ".avsc"));
        assertThat(text).as("the edit must apply").contains(from);
        return new Schema.Parser().parse(text.replaceFirst(Pattern.quote(from),
                Matcher.quoteReplacement(to)));
    }

    private static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
