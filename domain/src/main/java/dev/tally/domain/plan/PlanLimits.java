package dev.tally.domain.plan;

import dev.tally.domain.DomainException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The limits of a plan, one per metric. A metric absent from the plan is tracked but unlimited.
 */
public record PlanLimits(Map<MetricKey, Limit> byMetric) {

    public PlanLimits {
        Objects.requireNonNull(byMetric, "byMetric");
        byMetric = Map.copyOf(byMetric);
        byMetric.forEach((metric, limit) -> {
            if (metric.countsWholeUnits() && limit.max().filter(max -> max.scale() > 0).isPresent()) {
                throw DomainException.invalid("invalid_limit", metric + " counts whole units; its limit cannot be a"
                        + " fraction");
            }
        });
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
