package dev.tally.domain.overview;

import dev.tally.domain.activation.ActivationStats;
import dev.tally.domain.cost.CostBreakdown;
import dev.tally.domain.credit.CreditGrant;
import dev.tally.domain.credit.CreditUsageReport;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.run.RunStatistics;
import dev.tally.domain.user.UserId;
import java.util.List;
import java.util.Objects;

/**
 * The one billing overview of a user and period (R50): plan, period, every metric, runs, credits,
 * costs, activation codes and allocations (R72, their current values, since no period resets them),
 * and the credit grants live now in the order they will be spent (R35, R36; at most
 * {@link #MAX_GRANTS_SHOWN}), each with what remains of it and its expiry. Every page that shows usage reads this, so no two pages can
 * compute the same number differently.
 */
public record BillingOverview(UserId user, Plan plan, BillingPeriod period, List<MetricUsage> metrics,
                              RunStatistics runs, long creditBalance, CreditUsageReport credits, CostBreakdown costs,
                              ActivationStats activationCodes, List<MetricUsage> allocations,
                              List<CreditGrant> creditGrants) {

    /** The most live credit grants an overview lists: the first ones to be spent. */
    public static final int MAX_GRANTS_SHOWN = 50;

    public BillingOverview {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(period, "period");
        metrics = List.copyOf(metrics);
        Objects.requireNonNull(runs, "runs");
        Objects.requireNonNull(credits, "credits");
        Objects.requireNonNull(costs, "costs");
        Objects.requireNonNull(activationCodes, "activationCodes");
        allocations = List.copyOf(allocations);
        creditGrants = List.copyOf(creditGrants);
    }

    /** An overview that lists no credit grants. */
    public BillingOverview(UserId user, Plan plan, BillingPeriod period, List<MetricUsage> metrics,
                           RunStatistics runs, long creditBalance, CreditUsageReport credits, CostBreakdown costs,
                           ActivationStats activationCodes, List<MetricUsage> allocations) {
        this(user, plan, period, metrics, runs, creditBalance, credits, costs, activationCodes, allocations,
                List.of());
    }
}
