package io.bitvision.testkit.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.Temporal;

/**
 * The JSON reports of the CLI and the benchmarks (bench-results/*.json), written by Jackson: maps in insertion order,
 * lists, records, strings, numbers. Measured doubles keep six significant digits; NaN and infinities (a measurement
 * that did not happen) become null; paths, times and durations are written as their text.
 */
public final class JsonReports {
    private static final ObjectWriter WRITER = new ObjectMapper()
            .registerModule(new SimpleModule("bitvision-reports")
                    .addSerializer(Double.class, new MeasuredDouble())
                    .addSerializer(Double.TYPE, new MeasuredDouble())
                    .addSerializer(Float.class, new MeasuredFloat())
                    .addSerializer(Float.TYPE, new MeasuredFloat())
                    .addSerializer(double[].class, new MeasuredDoubles())
                    .addSerializer(Path.class, ToStringSerializer.instance)
                    .addSerializer(Temporal.class, ToStringSerializer.instance)
                    .addSerializer(Duration.class, ToStringSerializer.instance))
            .writer(new DefaultPrettyPrinter()
                    .withSeparators(Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));

    private JsonReports() {}

    /** {@code value} as indented JSON with a final newline. */
    public static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a report of " + value.getClass().getName(), e);
        }
    }

    /** A measured number as a report shows it, also in text: six significant digits, "null" when not finite. */
    public static String number(double d) {
        if (!Double.isFinite(d)) {
            return "null";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private static void writeMeasured(double d, JsonGenerator gen) throws IOException {
        if (Double.isFinite(d)) {
            gen.writeNumber(number(d));
        } else {
            gen.writeNull();
        }
    }

    private static final class MeasuredDouble extends JsonSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            writeMeasured(value, gen);
        }
    }

    private static final class MeasuredFloat extends JsonSerializer<Float> {
        @Override
        public void serialize(Float value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            writeMeasured(value.doubleValue(), gen);
        }
    }

    private static final class MeasuredDoubles extends JsonSerializer<double[]> {
        @Override
        public void serialize(double[] values, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartArray(values, values.length);
            for (double d : values) {
                writeMeasured(d, gen);
            }
            gen.writeEndArray();
        }
    }
}
