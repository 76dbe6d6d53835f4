package io.bitvision.engine.model;

import java.nio.charset.StandardCharsets;

/**
 * Big-endian cursor over a model payload that checks every read against the bytes left, so a malformed
 * length becomes an {@link InvalidModelException} before any array is allocated.
 */
public final class ModelInput {
    private final byte[] bytes;
    private final int end;
    private int position;
    private String context = "header";

    ModelInput(byte[] bytes, int start, int end) {
        this.bytes = bytes;
        this.position = start;
        this.end = end;
    }

    /** Names what is being read, for error messages ("node 3 (CONV)"). */
    public void context(String what) {
        context = what;
    }

    public int remaining() {
        return end - position;
    }

    private void need(long count, String what) throws InvalidModelException {
        if (count < 0 || count > remaining()) {
            throw new InvalidModelException(context + ": " + what + " needs " + count + " bytes but only "
                    + remaining() + " remain in the payload");
        }
    }

    public int u8(String what) throws InvalidModelException {
        need(1, what);
        return bytes[position++] & 0xFF;
    }

    public int u16(String what) throws InvalidModelException {
        need(2, what);
        int v = ((bytes[position] & 0xFF) << 8) | (bytes[position + 1] & 0xFF);
        position += 2;
        return v;
    }

    public int i32(String what) throws InvalidModelException {
        need(4, what);
        int v = ((bytes[position] & 0xFF) << 24) | ((bytes[position + 1] & 0xFF) << 16)
                | ((bytes[position + 2] & 0xFF) << 8) | (bytes[position + 3] & 0xFF);
        position += 4;
        return v;
    }

    public long i64(String what) throws InvalidModelException {
        long hi = i32(what) & 0xFFFFFFFFL;
        long lo = i32(what) & 0xFFFFFFFFL;
        return (hi << 32) | lo;
    }

    public float f32(String what) throws InvalidModelException {
        return Float.intBitsToFloat(i32(what));
    }

    public boolean bool(String what) throws InvalidModelException {
        int v = u8(what);
        if (v > 1) {
            throw new InvalidModelException(context + ": " + what + " must be 0 or 1, not " + v);
        }
        return v == 1;
    }

    public String utf(String what) throws InvalidModelException {
        int length = u16(what + " length");
        need(length, what);
        String s = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return s;
    }

    /** A string whose declared length is checked against {@code maxBytes} before it is read. */
    public String utf(String what, int maxBytes) throws ModelFormatException {
        int length = u16(what + " length");
        if (length > maxBytes) {
            throw new ModelLimitExceededException(context + ": " + what + " is " + length
                    + " bytes, over the limit of " + maxBytes);
        }
        need(length, what);
        String s = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return s;
    }

    /** Reads {@code count} int32 values; the count is checked against the bytes left before allocating. */
    public int[] i32Array(long count, String what) throws InvalidModelException {
        need(count * 4, what);
        int[] values = new int[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = i32(what);
        }
        return values;
    }

    public long[] i64Array(long count, String what) throws InvalidModelException {
        need(count * 8, what);
        long[] values = new long[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = i64(what);
        }
        return values;
    }

    public float[] f32Array(long count, String what) throws InvalidModelException {
        need(count * 4, what);
        float[] values = new float[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = f32(what);
        }
        return values;
    }

    public boolean[] boolArray(long count, String what) throws InvalidModelException {
        need(count, what);
        boolean[] values = new boolean[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = bool(what);
        }
        return values;
    }

    public InvalidModelException invalid(String message) {
        return new InvalidModelException(context + ": " + message);
    }
}
