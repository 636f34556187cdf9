package dev.tally.adapter.jdbc;

import java.util.Map;
import java.util.TreeMap;

/** Writes the small JSON objects the schema keeps as text, such as a fact's dimensions. */
final class Json {

    private Json() {
    }

    /** A JSON object of string values, keys in order, so equal maps give equal text. */
    static String object(Map<String, String> values) {
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
