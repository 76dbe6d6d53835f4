package io.bitvision.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of generated records: {@code C3 01}, the 8-byte little-endian CRC-64-AVRO
 * fingerprint of the writer schema's parsing canonical form, then the Avro binary body. Any Avro library
 * can decode such a message given the schema; no registry is involved. Thread-safe.
 */
public final class AvroRecords {
    /** Marker plus fingerprint. */
    public static final int HEADER_BYTES = 10;

    private static final ClassValue<BinaryMessageEncoder<SpecificRecord>> ENCODERS = new ClassValue<>() {
        @Override
        protected BinaryMessageEncoder<SpecificRecord> computeValue(Class<?> type) {
            SpecificData model = SpecificData.getForClass(type);
            return new BinaryMessageEncoder<>(model, model.getSchema(type));
        }
    };

    private static final ClassValue<BinaryMessageDecoder<?>> DECODERS = new ClassValue<>() {
        @Override
        protected BinaryMessageDecoder<?> computeValue(Class<?> type) {
            SpecificData model = SpecificData.getForClass(type);
            return new BinaryMessageDecoder<>(model, model.getSchema(type));
        }
    };

    private AvroRecords() {
    }

    /** The single-object encoded message of {@code record}. */
    public static byte[] encode(SpecificRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            ENCODERS.get(record.getClass()).encode(record, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + record.getSchema().getFullName(), e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a message written with {@code type}'s schema.
     *
     * @throws BadHeaderException if {@code message} is not single-object encoded
     * @throws org.apache.avro.message.MissingSchemaException if it was written with another schema
     * @throws AvroRuntimeException if the body is truncated or damaged
     */
    public static <T extends SpecificRecord> T decode(byte[] message, Class<T> type) {
        try {
            return type.cast(DECODERS.get(type).decode(message));
        } catch (IOException e) {
            throw new AvroRuntimeException("cannot decode " + type.getName(), e);
        } catch (SecurityException e) {
            throw new SecurityException("Avro refused to instantiate " + type.getName()
                    + ": start this JVM with -Dorg.apache.avro.SERIALIZABLE_PACKAGES=" + type.getPackageName(), e);
        }
    }

    /** The writer schema fingerprint in a message's header, for routing a message before decoding it. */
    public static long fingerprintOf(byte[] message) {
        if (message.length < HEADER_BYTES || message[0] != (byte) 0xC3 || message[1] != 0x01) {
            throw new BadHeaderException("not an Avro single-object encoded message");
        }
        long fingerprint = 0;
        for (int i = HEADER_BYTES - 1; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (message[i] & 0xFF);
        }
        return fingerprint;
    }

    /** CRC-64-AVRO fingerprint of {@code schema}'s parsing canonical form: what message headers carry. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** {@code fingerprint} as 16 lowercase hex digits, most significant first, as FINGERPRINTS.md lists it. */
    public static String hex(long fingerprint) {
        return String.format("%016x", fingerprint);
    }
}
