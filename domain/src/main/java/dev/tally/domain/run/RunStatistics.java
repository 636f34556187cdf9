package dev.tally.domain.run;

import dev.tally.domain.Money;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.usage.UsageTotals;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * Monthly run statistics per user and period (R28). Only succeeded runs count as used; running
 * runs hold a reservation, so {@code remaining = limit - used - reserved} and
 * {@code can_run_more} is true iff one more run could start now.
 *
 * @param limit     the plan's run limit, empty when unlimited
 * @param remaining empty when unlimited
 */
public record RunStatistics(BillingPeriod period, RunCounts counts, Optional<BigDecimal> limit,
                            Optional<BigDecimal> remaining, boolean canRunMore) {

    public RunStatistics {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(counts, "counts");
    }

    /**
     * @param runs the {@code runs} rollup of the period: used (succeeded) and reserved (running),
     *             the same figures that enforce the limit
     */
    public static RunStatistics of(BillingPeriod period, RunCounts counts, UsageTotals runs, Limit limit) {
        BigDecimal held = runs.used().add(runs.reserved());
        Optional<BigDecimal> remaining = limit.max().map(max -> max.subtract(held).max(BigDecimal.ZERO));
        boolean canRunMore = limit.admission(BigDecimal.ONE).admits(held);
        RunCounts priced = new RunCounts(counts.total(), counts.succeeded(), counts.failed(), counts.cancelled(),
                counts.running(), counts.tokens(), Money.usd(counts.costUsd()), counts.lastRunAt());
        return new RunStatistics(period, priced, limit.max(), remaining, canRunMore);
    }
}
