package dev.tally.domain.entitlement;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.LimitDecision;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.usage.UsageTotals;
import dev.tally.domain.rate.MetricRate;
import dev.tally.domain.rate.RateDecision;
import java.math.BigDecimal;
import java.math.BigInteger;
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
 * @param denial   why the period limit would refuse it; empty when it would not
 * @param rate     where the metric's rate limit stands now, if the plan gives it one (R90): a
 *                 request of more whole cells than it admits at once is not allowed either
 * @param credits  for a credit-priced metric (R38), what the requested quantity would spend of the
 *                 balance: a request the balance cannot pay for is not allowed either
 */
public record Entitlement(MetricKind kind, BigDecimal requested, MetricUsage usage, Optional<Instant> resetsAt,
                          Optional<LimitExceeded> denial, Optional<RateDecision.Standing> rate,
                          Optional<CreditCheck> credits) {

    /** An answer of a metric that costs no credits (R38). */
    public Entitlement(MetricKind kind, BigDecimal requested, MetricUsage usage, Optional<Instant> resetsAt,
                       Optional<LimitExceeded> denial, Optional<RateDecision.Standing> rate) {
        this(kind, requested, usage, resetsAt, denial, rate, Optional.empty());
    }

    /** An answer without a rate limit. */
    public Entitlement(MetricKind kind, BigDecimal requested, MetricUsage usage, Optional<Instant> resetsAt,
                       Optional<LimitExceeded> denial) {
        this(kind, requested, usage, resetsAt, denial, Optional.empty());
    }

    public Entitlement {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(resetsAt, "resetsAt");
        Objects.requireNonNull(denial, "denial");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(credits, "credits");
    }

    /** This answer where the metric's rate limit stands at {@code rate} (R70, R90). */
    public Entitlement withRate(RateDecision.Standing rate) {
        return new Entitlement(kind, requested, usage, resetsAt, denial, Optional.of(rate), credits);
    }

    /** This answer where the requested quantity would spend credits as {@code credits} finds (R38, R70). */
    public Entitlement withCredits(CreditCheck credits) {
        return new Entitlement(kind, requested, usage, resetsAt, denial, rate, Optional.of(credits));
    }

    /** Whether the balance, for a credit-priced metric, pays for the request (R38). */
    public boolean creditsAllow() {
        return credits.map(CreditCheck::allows).orElse(true);
    }

    /** Whether the metric's rate limit, if any, admits the request now. */
    public boolean rateAllows() {
        return rate.map(standing -> MetricRate.cells(requested).compareTo(BigInteger.valueOf(standing.remaining())) <= 0)
                .orElse(true);
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

    /**
     * Checks whether a record of {@code requested} would be admitted by a {@code max} or
     * {@code latest} meter (R82): the record itself may not exceed the limit, whatever the period
     * holds, so a check answers as the enforced write that follows it would (R70).
     */
    public static Entitlement peak(Plan plan, MetricKey metric, UsageTotals totals, BigDecimal requested,
                                   BillingPeriod period) {
        Optional<LimitExceeded> denial = denial(plan.decide(metric, BigDecimal.ZERO, BigDecimal.ZERO, requested,
                period)).map(refused -> new LimitExceeded(refused.metric(), totals.used(), totals.reserved(),
                refused.limit(), refused.requested(), refused.plan(), refused.resetsAt()));
        return new Entitlement(MetricKind.METERED, requested, plan.usageOf(metric, totals.used(), totals.reserved()),
                Optional.of(period.resetsAt()), denial);
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

    /** Whether the request would be allowed now: by the period limit, the rate limit and the balance. */
    public boolean allowed() {
        return denial.isEmpty() && rateAllows() && creditsAllow();
    }
}
