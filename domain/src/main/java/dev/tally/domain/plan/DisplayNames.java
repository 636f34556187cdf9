package dev.tally.domain.plan;

import dev.tally.domain.DomainException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The names a plan gives its metrics where a person reads them, such as {@code Searches} for
 * {@code api_calls.search}; a metric without one is shown by its key. Each name is 1–64
 * characters, not blank and without control characters; a plan names at most 100 metrics (R64).
 * The names keep the order they were given in, so that a refusal names the first offending
 * metric as the client wrote it (R64).
 */
public record DisplayNames(Map<MetricKey, String> byMetric) {

    /** The longest display name, in characters. */
    public static final int MAX_LENGTH = 64;

    /** The most metrics one plan names. */
    public static final int MAX_NAMES = 100;

    public DisplayNames {
        Objects.requireNonNull(byMetric, "byMetric");
        if (byMetric.size() > MAX_NAMES) {
            throw DomainException.invalid("invalid_display_name", "display_names takes at most " + MAX_NAMES
                    + " metrics");
        }
        Map<MetricKey, String> copy = new LinkedHashMap<>();
        byMetric.forEach((metric, name) -> copy.put(Objects.requireNonNull(metric, "metric"), checked(metric, name)));
        byMetric = Collections.unmodifiableMap(copy);
    }

    /**
     * {@code name} as the display name of {@code metric}: 1–64 characters, not blank, without
     * control characters, else {@code 400 invalid_display_name} naming the metric.
     */
    public static String checked(MetricKey metric, String name) {
        String field = "display_names." + metric.value();
        if (name == null || name.isBlank()) {
            throw DomainException.invalid("invalid_display_name", field + " must be a non-blank name");
        }
        if (name.length() > MAX_LENGTH) {
            throw DomainException.invalid("invalid_display_name", field + " is longer than " + MAX_LENGTH
                    + " characters");
        }
        if (name.codePoints().anyMatch(DisplayNames::isControl)) {
            throw DomainException.invalid("invalid_display_name", field + " cannot contain control characters");
        }
        return name;
    }

    private static boolean isControl(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }

    /** No display names: every metric is shown by its key. */
    public static DisplayNames none() {
        return new DisplayNames(Map.of());
    }

    /** The display name of {@code metric}: its own name, else its key. */
    public String of(MetricKey metric) {
        return byMetric.getOrDefault(metric, metric.value());
    }
}
