package dev.tally.application.port;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.UsageTotals;
import dev.tally.domain.user.UserId;
import java.util.Objects;

/** One rollup: a user's used and reserved quantity of one metric in one period. */
public record PeriodTotals(UserId user, MetricKey metric, BillingPeriod period, UsageTotals totals) {

    public PeriodTotals {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(totals, "totals");
    }
}
