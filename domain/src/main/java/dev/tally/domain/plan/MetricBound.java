package dev.tally.domain.plan;

import dev.tally.domain.DomainException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How many distinct metrics a user may have in one billing period (R67), so that no user can
 * make its own pages, and the operator's list of every user, slow by recording under ever new
 * names. A metric counts from its first usage or hold in the period. The metrics in
 * {@code declared} (those the plan names as limits or allocations, and Tally's own) always fit:
 * they count, but a write is never refused for them; any other new metric is refused once the
 * period has {@code max} metrics.
 *
 * @param max      the most metrics of one period that a metric not declared may join
 * @param declared the metrics that always fit
 */
public record MetricBound(int max, Set<MetricKey> declared) {

    /** The bound a plan without {@code max_metrics} gets unless the server sets another. */
    public static final int DEFAULT_MAX = 1_000;
    /** The largest bound a plan or the server may set: beyond it a user's pages would slow again. */
    public static final int LARGEST = 100_000;

    /** Tally's own metrics, recorded by the server itself: always within the bound. */
    public static final Set<MetricKey> TALLYS_OWN = Set.of(MetricKey.RUNS, MetricKey.SESSIONS,
            MetricKey.SESSION_MINUTES, MetricKey.CREDITS, MetricKey.ACTIVATION_CODES,
            MetricKey.ACTIVATION_CODES_REDEEMED, MetricKey.COST_USD);

    public MetricBound {
        Objects.requireNonNull(declared, "declared");
        declared = Set.copyOf(declared);
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
    }

    /** No bound at all: every metric fits (what a caller that checks nothing passes). */
    public static MetricBound unbounded() {
        return new MetricBound(Integer.MAX_VALUE, Set.of());
    }

    /**
     * {@code value} as a bound of {@code field}: 0 (only declared metrics) to {@link #LARGEST};
     * otherwise {@code 400 invalid_plan}.
     */
    public static int checked(int value, String field) {
        if (value < 0 || value > LARGEST) {
            throw DomainException.invalid("invalid_plan", field + " must be 0-" + LARGEST + ": " + value);
        }
        return value;
    }

    /** Whether {@code metric} always fits. */
    public boolean declares(MetricKey metric) {
        return declared.contains(metric);
    }

    /**
     * Of the metrics one write would add to a period that has {@code counted} metrics now (each
     * new to the period, in request order), the one refused, or empty when they all fit. Declared
     * metrics fit first; then the others fit while the period has fewer than {@code max}; the
     * one named is the first, in request order, that finds no room.
     */
    public Optional<MetricKey> refused(long counted, List<MetricKey> added) {
        List<MetricKey> undeclared = new ArrayList<>();
        long total = counted;
        for (MetricKey metric : added) {
            if (declares(metric)) {
                total++;
            } else {
                undeclared.add(metric);
            }
        }
        if (undeclared.isEmpty() || total + undeclared.size() <= max) {
            return Optional.empty();
        }
        return Optional.of(undeclared.get((int) Math.max(0, Math.min(max - total, undeclared.size() - 1))));
    }
}
