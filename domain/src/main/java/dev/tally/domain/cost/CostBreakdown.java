package dev.tally.domain.cost;

import dev.tally.domain.DomainException;
import dev.tally.domain.Money;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricUsage;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * API costs of one period (R42): the total, the budget (the plan's {@code cost_usd} limit), the
 * percent of the budget, and providers sorted by cost descending, the top N listed and the rest
 * summed as {@code other}.
 */
public record CostBreakdown(BillingPeriod period, BigDecimal totalCostUsd, Optional<BigDecimal> budgetUsd,
                            Optional<BigDecimal> percent, List<ProviderCost> providers, ProviderCost other) {

    /** How many providers are listed by default. */
    public static final int DEFAULT_TOP = 5;
    /** The most providers a caller may ask to list. */
    public static final int MAX_TOP = 100;

    public CostBreakdown {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(totalCostUsd, "totalCostUsd");
        Objects.requireNonNull(budgetUsd, "budgetUsd");
        Objects.requireNonNull(percent, "percent");
        providers = List.copyOf(providers);
        Objects.requireNonNull(other, "other");
    }

    /** Breaks {@code perProvider} down against {@code budget}, listing the top {@code top}. */
    public static CostBreakdown of(BillingPeriod period, Collection<ProviderCost> perProvider, Limit budget, int top) {
        if (top < 0 || top > MAX_TOP) {
            throw DomainException.invalid("invalid_top", "top must be 0-" + MAX_TOP + ": " + top);
        }
        List<ProviderCost> sorted = perProvider.stream()
                .map(p -> new ProviderCost(p.provider(), Money.usd(p.costUsd()), p.calls()))
                .sorted(Comparator.comparing(ProviderCost::costUsd).reversed().thenComparing(ProviderCost::provider))
                .toList();
        BigDecimal total = Money.zero();
        for (ProviderCost cost : sorted) {
            total = total.add(cost.costUsd());
        }
        List<ProviderCost> listed = sorted.subList(0, Math.min(top, sorted.size()));
        BigDecimal otherCost = Money.zero();
        long otherCalls = 0;
        for (ProviderCost cost : sorted.subList(listed.size(), sorted.size())) {
            otherCost = otherCost.add(cost.costUsd());
            otherCalls += cost.calls();
        }
        MetricUsage againstBudget = MetricUsage.of(MetricKey.COST_USD, total, BigDecimal.ZERO, budget,
                100);
        return new CostBreakdown(period, total, budget.max().map(Money::usd), againstBudget.percent(), listed,
                new ProviderCost("other", otherCost, otherCalls));
    }
}
