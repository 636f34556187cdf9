package dev.tally.application.usage;

import java.util.Map;
import java.util.TreeMap;

/** A record's dimensions as the text storages keep and exports show: a JSON object of strings, keys sorted. */
public final class DimensionsText {

    private DimensionsText() {
    }

    /** A JSON object of string values, keys in order, so equal maps give equal text. */
    public static String of(Map<String, String> values) {
        StringBuilder json = new StringBuilder("{");
        new TreeMap<>(values).forEach((key, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            string(json, key);
            json.append(':');
            string(json, value);
        });
        return json.append('}').toString();
    }

    /** Reads back a flat object of strings as {@link #of} wrote it. */
    public static Map<String, String> parse(String json) {
        Map<String, String> values = new TreeMap<>();
        int[] at = {json.indexOf('{') + 1};
        while (true) {
            skipSpace(json, at);
            if (json.charAt(at[0]) == '}') {
                return values;
            }
            if (json.charAt(at[0]) == ',') {
                at[0]++;
                skipSpace(json, at);
            }
            String key = readString(json, at);
            skipSpace(json, at);
            at[0]++; // ':'
            skipSpace(json, at);
            values.put(key, readString(json, at));
        }
    }

    private static void skipSpace(String json, int[] at) {
        while (Character.isWhitespace(json.charAt(at[0]))) {
            at[0]++;
        }
    }

    private static String readString(String json, int[] at) {
        StringBuilder text = new StringBuilder();
        int i = at[0] + 1;
        while (json.charAt(i) != '"') {
            char c = json.charAt(i++);
            if (c != '\\') {
                text.append(c);
                continue;
            }
            char escaped = json.charAt(i++);
            switch (escaped) {
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'u' -> {
                    text.append((char) Integer.parseInt(json.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> text.append(escaped);
            }
        }
        at[0] = i + 1;
        return text.toString();
    }

    private static void string(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
