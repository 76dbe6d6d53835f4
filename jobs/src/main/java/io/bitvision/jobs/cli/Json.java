package io.bitvision.jobs.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Minimal JSON writer for the CLI's reports: maps, lists, strings, numbers, booleans, null. */
final class Json {
    private Json() {}

    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb, "");
        return sb.append('\n').toString();
    }

    private static void write(Object value, StringBuilder sb, String indent) {
        switch (value) {
            case null -> sb.append("null");
            case String s -> quote(s, sb);
            case Double d -> sb.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "null");
            case Float f -> write(f.doubleValue(), sb, indent);
            case Number n -> sb.append(n);
            case Boolean b -> sb.append(b);
            case Map<?, ?> map -> {
                sb.append("{");
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
                sb.append("[");
                boolean first = true;
                for (Object item : list) {
                    sb.append(first ? "" : ", ");
                    write(item, sb, indent);
                    first = false;
                }
                sb.append("]");
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
