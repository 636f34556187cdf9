package dev.tally.application.usage;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.user.UserId;
import java.util.List;

/** A user's usage in one period: every metric of its plan plus every metric with usage (R15). */
public record UsageReport(UserId user, PlanId plan, BillingPeriod period, List<MetricUsage> metrics) {

    public UsageReport {
        metrics = List.copyOf(metrics);
    }

    /** The figures of one metric, if the report has it. */
    public java.util.Optional<MetricUsage> metric(dev.tally.domain.plan.MetricKey key) {
        return metrics.stream().filter(m -> m.metric().equals(key)).findFirst();
    }
}
