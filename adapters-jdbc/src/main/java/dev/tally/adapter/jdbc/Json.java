package dev.tally.adapter.jdbc;

import dev.tally.application.usage.DimensionsText;
import java.util.Map;

/** Writes the small JSON objects the schema keeps as text, such as a fact's dimensions. */
final class Json {

    private Json() {
    }

    /** A JSON object of string values, keys in order, so equal maps give equal text. */
    static String object(Map<String, String> values) {
        return DimensionsText.of(values);
    }

    /** Reads back a flat object of strings as {@link #object} wrote it. */
    static Map<String, String> parseObject(String json) {
        return DimensionsText.parse(json);
    }
}
