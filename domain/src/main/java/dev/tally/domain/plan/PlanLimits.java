package dev.tally.domain.plan;

import dev.tally.domain.DomainException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The limits of a plan, one per metric. A metric absent from the plan is tracked but unlimited.
 * The limits keep the order they were given in, so that a refusal names the first offending
 * metric as the client wrote it, on every server and every run (R64).
 */
public record PlanLimits(Map<MetricKey, Limit> byMetric) {

    public PlanLimits {
        Objects.requireNonNull(byMetric, "byMetric");
        Map<MetricKey, Limit> copy = new LinkedHashMap<>();
        byMetric.forEach((metric, limit) -> copy.put(Objects.requireNonNull(metric, "metric"), checked(metric, limit)));
        byMetric = Collections.unmodifiableMap(copy);
    }

    /**
     * {@code limit} as the limit of {@code metric}: a metric that counts whole units has a whole
     * limit, else {@code 400 invalid_limit}.
     */
    public static Limit checked(MetricKey metric, Limit limit) {
        Objects.requireNonNull(limit, "limit");
        if (metric.countsWholeUnits() && limit.max().filter(max -> max.scale() > 0).isPresent()) {
            throw DomainException.invalid("invalid_limit", metric + " counts whole units; its limit cannot be a"
                    + " fraction");
        }
        return limit;
    }

    /** No limits at all. */
    public static PlanLimits none() {
        return new PlanLimits(Map.of());
    }

    /** The limit of {@code metric}, unlimited when the plan does not name it. */
    public Limit limitOf(MetricKey metric) {
        return byMetric.getOrDefault(metric, Limit.unlimited());
    }

    /** The named limits in metric order. */
    public Map<MetricKey, Limit> sorted() {
        return new TreeMap<>(byMetric);
    }
}
