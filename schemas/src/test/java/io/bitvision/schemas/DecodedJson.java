package io.bitvision.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Asserts that a record decoded by another Avro library, printed as JSON (timestamps as epoch milliseconds,
 * bytes as hex), equals the Java record field by field, walking the schema so no field is skipped.
 */
final class DecodedJson {
    private DecodedJson() {
    }

    static void assertMatches(Schema schema, Object expected, JsonNode actual) {
        assertMatches(schema, expected, actual, schema.getName());
    }

    private static void assertMatches(Schema schema, Object expected, JsonNode actual, String path) {
        assertThat(actual).as("%s is missing", path).isNotNull();
        switch (schema.getType()) {
            case RECORD -> {
                assertThat(actual.isObject()).as("%s is an object", path).isTrue();
                Set<String> names = schema.getFields().stream().map(Schema.Field::name).collect(Collectors.toSet());
                assertThat(actual.properties().stream().map(e -> e.getKey()).collect(Collectors.toSet()))
                        .as("fields of %s", path).isEqualTo(names);
                IndexedRecord record = (IndexedRecord) expected;
                for (Schema.Field field : schema.getFields()) {
                    assertMatches(field.schema(), record.get(field.pos()), actual.get(field.name()),
                            path + "." + field.name());
                }
            }
            case UNION -> {
                if (expected == null) {
                    assertThat(actual.isNull()).as("%s is null", path).isTrue();
                } else {
                    Schema branch = schema.getTypes().get(SpecificData.get().resolveUnion(schema, expected));
                    assertMatches(branch, expected, actual, path);
                }
            }
            case ARRAY -> {
                List<?> items = (List<?>) expected;
                assertThat(actual.isArray()).as("%s is an array", path).isTrue();
                assertThat(actual.size()).as("length of %s", path).isEqualTo(items.size());
                for (int i = 0; i < items.size(); i++) {
                    assertMatches(schema.getElementType(), items.get(i), actual.get(i), path + "[" + i + "]");
                }
            }
            case ENUM, STRING -> {
                assertThat(actual.isTextual()).as("%s is text", path).isTrue();
                assertThat(actual.textValue()).as(path).isEqualTo(expected.toString());
            }
            case INT, LONG -> {
                assertThat(actual.isIntegralNumber()).as("%s is an integer", path).isTrue();
                long value = schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
                        ? ((Instant) expected).toEpochMilli()
                        : ((Number) expected).longValue();
                assertThat(actual.longValue()).as(path).isEqualTo(value);
            }
            case FLOAT -> {
                assertThat(actual.isNumber()).as("%s is a number", path).isTrue();
                double decoded = actual.doubleValue();
                assertThat((double) (float) decoded).as("%s holds a float32 exactly", path).isEqualTo(decoded);
                assertThat((float) decoded).as(path).isEqualTo((Float) expected);
            }
            case BYTES -> {
                ByteBuffer bytes = ((ByteBuffer) expected).duplicate();
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                assertThat(actual.textValue()).as(path).isEqualTo(HexFormat.of().formatHex(copy));
            }
            case NULL -> assertThat(actual.isNull()).as("%s is null", path).isTrue();
            default -> fail("%s: no comparison for Avro type %s yet", path, schema.getType());
        }
    }
}
