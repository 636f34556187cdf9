package dev.tally.domain.entitlement;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.LimitDecision;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.usage.UsageTotals;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to "would {@code requested} more of this metric be allowed now?" (R70): allowed iff
 * {@code used + reserved + requested <= limit}, the same rule an enforced write applies (R11).
 * It records nothing and grants nothing; a refused check carries the denial an enforced write
 * would have returned (R12), so it explains itself the same way.
 *
 * @param usage    the metric's figures the answer was computed from
 * @param resetsAt when the period ends; empty for an allocation, which never resets
 * @param denial   why it would be refused; empty when allowed
 */
public record Entitlement(MetricKind kind, BigDecimal requested, MetricUsage usage, Optional<Instant> resetsAt,
                          Optional<LimitExceeded> denial) {

    public Entitlement {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(resetsAt, "resetsAt");
        Objects.requireNonNull(denial, "denial");
    }

    /**
     * Checks {@code requested} more of a metered metric against {@code plan}, given what the
     * metric has used and holds reserved in {@code period}.
     */
    public static Entitlement metered(Plan plan, MetricKey metric, UsageTotals totals, BigDecimal requested,
                                      BillingPeriod period) {
        LimitDecision decision = plan.decide(metric, totals.used(), totals.reserved(), requested, period);
        return new Entitlement(MetricKind.METERED, requested, plan.usageOf(metric, totals.used(), totals.reserved()),
                Optional.of(period.resetsAt()), denial(decision));
    }

    /** Checks {@code requested} more of allocation {@code metric}, now at {@code value} (R72). */
    public static Entitlement allocation(Plan plan, MetricKey metric, BigDecimal value, BigDecimal requested) {
        return new Entitlement(MetricKind.ALLOCATION, requested, plan.allocationOf(metric, value), Optional.empty(),
                denial(plan.decideAllocation(metric, value, requested)));
    }

    private static Optional<LimitExceeded> denial(LimitDecision decision) {
        return decision instanceof LimitExceeded exceeded ? Optional.of(exceeded) : Optional.empty();
    }

    /** The metric checked. */
    public MetricKey metric() {
        return usage.metric();
    }

    /** Whether the request would be allowed now. */
    public boolean allowed() {
        return denial.isEmpty();
    }
}
