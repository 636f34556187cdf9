package dev.tally.domain.plan;

import dev.tally.domain.rate.MetricRate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A plan's {@code rate_limits}: how fast each named metric may be recorded (R90), beside its
 * per-period limit. A metric absent here has no rate. The rates keep the order they were given in.
 */
public record MetricRates(Map<MetricKey, MetricRate> byMetric) {

    public MetricRates {
        Objects.requireNonNull(byMetric, "byMetric");
        Map<MetricKey, MetricRate> copy = new LinkedHashMap<>();
        byMetric.forEach((metric, rate) -> copy.put(Objects.requireNonNull(metric, "metric"),
                Objects.requireNonNull(rate, "rate")));
        byMetric = Collections.unmodifiableMap(copy);
    }

    /** No rate at all. */
    public static MetricRates none() {
        return new MetricRates(Map.of());
    }

    /** The rate of {@code metric}, if the plan names one. */
    public Optional<MetricRate> of(MetricKey metric) {
        return Optional.ofNullable(byMetric.get(metric));
    }

    /** Whether no metric has a rate. */
    public boolean isEmpty() {
        return byMetric.isEmpty();
    }
}
