package dev.tally.application.port;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import dev.tally.domain.usage.UsageTotals;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Reads of usage (R10, R52, R53): every one comes from the rollups of {@link UsageFacts}, or from
 * one period's facts, so reading a user's current usage costs the same however much history there is.
 */
public interface UsageReads {

    /** Used and reserved of every metric with a rollup in {@code period}. */
    Map<MetricKey, UsageTotals> totals(UserId user, BillingPeriod period);

    /** Used and reserved of one metric in {@code period}; zero when nothing was recorded. */
    default UsageTotals totals(UserId user, MetricKey metric, BillingPeriod period) {
        return totals(user, period).getOrDefault(metric, UsageTotals.ZERO);
    }

    /**
     * The quantities of {@code metric} filed in {@code period}, summed per epoch-aligned
     * {@code slice}: slice start to sum, only slices with usage (R52). Reads the period's facts
     * only, never the user's history.
     */
    SortedMap<Instant, BigDecimal> usageBySlice(UserId user, MetricKey metric, BillingPeriod period, Duration slice);

    /**
     * The records of {@code metric} filed in {@code period}, in the order they were stored: what a
     * meter's series is computed from (R52, R81). Reads the period's facts only.
     */
    List<dev.tally.domain.usage.UsageRecord> records(UserId user, MetricKey metric, BillingPeriod period);

    /**
     * Every rollup, of every user, whose period contains {@code at}, with usage or a reservation
     * (R53): what the operator's list is answered from, never a scan of facts.
     */
    List<PeriodTotals> rollupsAt(Instant at);
}
