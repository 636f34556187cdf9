package dev.tally.application.port;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricBound;
import dev.tally.domain.plan.MetricKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * A write refused because {@code metric} would be one metric more than {@code period} may hold
 * for the user (R67, {@link MetricBound}); nothing was written.
 */
public record MetricsFull(MetricKey metric, BillingPeriod period, int max) implements AppendResult, ReserveResult {

    /** A (metric, period) rollup that a write would create. */
    public record Added(MetricKey metric, BillingPeriod period) {
    }

    /**
     * Of the rollups one write would create, the refusal every storage reports: that of the
     * metric met first in request order that its period has no room for ({@link MetricBound#refused}).
     *
     * @param added   the rollups new to the user, in request order
     * @param counted how many rollups a period has now
     */
    public static Optional<MetricsFull> firstRefused(List<Added> added, ToLongFunction<BillingPeriod> counted,
                                                     MetricBound bound) {
        Map<BillingPeriod, List<MetricKey>> byPeriod = new LinkedHashMap<>();
        added.forEach(rollup -> byPeriod.computeIfAbsent(rollup.period(), p -> new ArrayList<>()).add(rollup.metric()));
        MetricsFull first = null;
        int firstIndex = Integer.MAX_VALUE;
        for (Map.Entry<BillingPeriod, List<MetricKey>> period : byPeriod.entrySet()) {
            Optional<MetricKey> refused = bound.refused(counted.applyAsLong(period.getKey()), period.getValue());
            if (refused.isPresent()) {
                int index = added.indexOf(new Added(refused.get(), period.getKey()));
                if (index < firstIndex) {
                    first = new MetricsFull(refused.get(), period.getKey(), bound.max());
                    firstIndex = index;
                }
            }
        }
        return Optional.ofNullable(first);
    }
}
