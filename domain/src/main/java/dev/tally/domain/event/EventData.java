package dev.tally.domain.event;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event's {@code data} as the text of a JSON object, built field by field in the order given:
 * events are immutable and kept (R75), so they are stored and delivered as written.
 */
public final class EventData {

    private final Map<String, String> fields = new LinkedHashMap<>();

    private EventData() {
    }

    /** An empty object to add fields to. */
    public static EventData object() {
        return new EventData();
    }

    public EventData put(String name, String value) {
        fields.put(name, value == null ? "null" : quoted(value));
        return this;
    }

    public EventData put(String name, long value) {
        fields.put(name, Long.toString(value));
        return this;
    }

    public EventData put(String name, BigDecimal value) {
        fields.put(name, value == null ? "null" : value.stripTrailingZeros().toPlainString());
        return this;
    }

    public EventData put(String name, EventData value) {
        fields.put(name, value.json());
        return this;
    }

    /** Puts {@code json}, the text of a JSON value written before, as it is. */
    public EventData putJson(String name, String json) {
        fields.put(name, json);
        return this;
    }

    /** The JSON text of this object. */
    public String json() {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quoted(name)).append(':').append(value);
        });
        return json.append('}').toString();
    }

    private static String quoted(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
