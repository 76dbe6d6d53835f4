package io.bitvision.jobs.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;

/**
 * Writes the JSON reports of the CLI and the benchmarks: maps (in insertion order), lists, strings, numbers, booleans, null. Doubles keep
 * six significant digits; NaN and infinities (a measurement that did not happen) become null.
 */
public final class Json {
    private Json() {}

    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb, "");
        return sb.append('\n').toString();
    }

    public static String number(double d) {
        if (!Double.isFinite(d)) {
            return "null";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private static void write(Object value, StringBuilder sb, String indent) {
        switch (value) {
            case null -> sb.append("null");
            case String s -> quote(s, sb);
            case Double d -> sb.append(number(d));
            case Float f -> sb.append(number(f.doubleValue()));
            case Number n -> sb.append(n);
            case Boolean b -> sb.append(b);
            case Map<?, ?> map -> {
                sb.append('{');
                String inner = indent + "  ";
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    sb.append(first ? "\n" : ",\n").append(inner);
                    quote(String.valueOf(e.getKey()), sb);
                    sb.append(": ");
                    write(e.getValue(), sb, inner);
                    first = false;
                }
                sb.append(first ? "}" : "\n" + indent + "}");
            }
            case List<?> list -> {
                boolean flat = list.stream().noneMatch(item -> item instanceof Map<?, ?> || item instanceof List<?>);
                String inner = indent + "  ";
                sb.append('[');
                boolean first = true;
                for (Object item : list) {
                    sb.append(first ? "" : ",");
                    if (!flat) {
                        sb.append('\n').append(inner);
                    } else if (!first) {
                        sb.append(' ');
                    }
                    write(item, sb, inner);
                    first = false;
                }
                sb.append(!flat && !first ? "\n" + indent + "]" : "]");
            }
            case double[] array -> {
                sb.append('[');
                for (int i = 0; i < array.length; i++) {
                    sb.append(i == 0 ? "" : ", ").append(number(array[i]));
                }
                sb.append(']');
            }
            default -> quote(value.toString(), sb);
        }
    }

    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
