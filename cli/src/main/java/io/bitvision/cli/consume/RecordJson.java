package io.bitvision.cli.consume;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.PublishedRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * One single-object encoded record as a JSON line, its type found by the schema fingerprint among every record type
 * the job publishes ({@link PublishedRecords}); the record's fields in schema order, bytes as base64, plus
 * {@code "type"}.
 */
public final class RecordJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Long, Schema> SCHEMAS = new LinkedHashMap<>();

    static {
        for (Schema schema : PublishedRecords.SCHEMAS) {
            SCHEMAS.put(AvroRecords.fingerprint(schema), schema);
        }
    }

    private RecordJson() {}

    public static String toJson(byte[] message) {
        long fingerprint = AvroRecords.fingerprintOf(message);
        Schema schema = SCHEMAS.get(fingerprint);
        Map<String, Object> json = new LinkedHashMap<>();
        if (schema == null) {
            json.put("error", "unknown schema fingerprint " + AvroRecords.hex(fingerprint));
        } else {
            json.put("type", schema.getName());
            json.putAll(fields(decode(message, schema)));
        }
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GenericRecord decode(byte[] message, Schema schema) {
        BinaryDecoder body = DecoderFactory.get().binaryDecoder(message, AvroRecords.HEADER_BYTES,
                message.length - AvroRecords.HEADER_BYTES, null);
        try {
            return new GenericDatumReader<GenericRecord>(schema).read(null, body);
        } catch (IOException e) {
            throw new UncheckedIOException("a " + schema.getName() + " record that does not decode", e);
        }
    }

    private static Map<String, Object> fields(GenericRecord record) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Schema.Field field : record.getSchema().getFields()) {
            fields.put(field.name(), plain(record.get(field.pos())));
        }
        return fields;
    }

    /** Avro's runtime values as what Jackson writes: strings, numbers, lists, maps. */
    private static Object plain(Object value) {
        return switch (value) {
            case null -> null;
            case GenericRecord r -> fields(r);
            case CharSequence s -> s.toString();
            case ByteBuffer b -> Base64.getEncoder().encodeToString(bytes(b));
            case GenericFixed f -> Base64.getEncoder().encodeToString(f.bytes());
            case List<?> list -> {
                List<Object> items = new ArrayList<>(list.size());
                list.forEach(item -> items.add(plain(item)));
                yield items;
            }
            case Map<?, ?> map -> {
                Map<String, Object> entries = new LinkedHashMap<>();
                map.forEach((k, v) -> entries.put(k.toString(), plain(v)));
                yield entries;
            }
            case Number n -> n;
            case Boolean b -> b;
            default -> value.toString(); // enum symbols
        };
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
