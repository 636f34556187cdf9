package dev.tally.domain.entitlement;

import java.util.Locale;

/**
 * How a metric is counted: a per-period sum of usage ({@link #METERED}, R10) or a current count
 * that no period resets ({@link #ALLOCATION}, R72).
 */
public enum MetricKind {
    /** Summed per billing period; resets when the period ends. */
    METERED,
    /** A current count (seats, projects, stored gigabytes); never reset by a period. */
    ALLOCATION;

    /** The wire name, e.g. {@code metered}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
