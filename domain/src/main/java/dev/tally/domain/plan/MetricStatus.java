package dev.tally.domain.plan;

import java.util.Locale;

/** Where a metric stands against its limit (R15). */
public enum MetricStatus {
    /** Below the warning threshold, or unlimited. */
    OK,
    /** At or above the warning threshold, below 100 %. */
    WARNING,
    /** At or above 100 %. */
    EXCEEDED;

    /** The wire name, e.g. {@code warning}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
