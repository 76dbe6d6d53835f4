package io.bitvision.benchmarks.engine.onnx;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Minimal protocol buffers encoder: just the wire types an ONNX model needs.
 * Nested messages are written by encoding them with their own writer first, so every
 * length prefix is known when it is written.
 */
final class ProtoWriter {

    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;

    private byte[] buf = new byte[64];
    private int size;

    /** An int64/int32/enum field; negative values take ten bytes, as protobuf requires. */
    ProtoWriter varint(int field, long value) {
        tag(field, VARINT);
        rawVarint(value);
        return this;
    }

    /** A repeated integer field written one element per tag, the proto2 default for unpacked fields. */
    ProtoWriter varints(int field, long... values) {
        for (long value : values) {
            varint(field, value);
        }
        return this;
    }

    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    ProtoWriter bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        rawVarint(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, buf, size, value.length);
        size += value.length;
        return this;
    }

    /** A repeated float field in packed form: one length prefix, then little-endian fixed32 values. */
    ProtoWriter packedFloats(int field, float[] values) {
        tag(field, LENGTH_DELIMITED);
        rawVarint(4L * values.length);
        ensure(4 * values.length);
        for (float value : values) {
            int bits = Float.floatToRawIntBits(value);
            buf[size++] = (byte) bits;
            buf[size++] = (byte) (bits >>> 8);
            buf[size++] = (byte) (bits >>> 16);
            buf[size++] = (byte) (bits >>> 24);
        }
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buf[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buf[size++] = (byte) value;
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }
}
