package dev.tally.adapter.jdbc;

import java.util.ArrayList;
import java.util.List;

/** Lists of strings as text: each its length, a colon, its characters; any character reads back as written. */
final class Strings {

    private Strings() {
    }

    static String join(List<String> values) {
        StringBuilder text = new StringBuilder();
        values.forEach(value -> text.append(value.length()).append(':').append(value));
        return text.toString();
    }

    static List<String> split(String text) {
        List<String> values = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int colon = text.indexOf(':', at);
            int length = Integer.parseInt(text.substring(at, colon));
            values.add(text.substring(colon + 1, colon + 1 + length));
            at = colon + 1 + length;
        }
        return values;
    }
}
