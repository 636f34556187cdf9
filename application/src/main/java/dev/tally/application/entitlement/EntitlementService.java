package dev.tally.application.entitlement;

import dev.tally.application.port.AllocationRepository;
import dev.tally.application.port.UserRepository;
import dev.tally.application.usage.Metering;
import dev.tally.domain.meter.Aggregation;
import dev.tally.application.user.Accounts;
import dev.tally.domain.entitlement.Entitlement;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import dev.tally.domain.usage.UsageTotals;
import jakarta.inject.Inject;
import dev.tally.domain.entitlement.FeatureEntitlement;
import java.util.Optional;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Entitlement checks (R70): would this much more be allowed now? Each answer comes from the user
 * and its plan, read together, and from the same rollups an enforced write checks and raises
 * (R10), read by key, so a check costs the same however much history there is and never disagrees
 * with the enforced write that follows it when nobody else writes in between. A check records nothing and grants nothing: only an enforced write
 * (R13), a reservation (R71) or an allocation change (R72) does.
 *
 * <pre>{@code
 * Entitlement may = tally.entitlements().check(new CheckEntitlement(user, new MetricKey("exports"), BigDecimal.ONE));
 * if (!may.allowed()) { ... may.denial().orElseThrow().message() ... }
 * }</pre>
 */
public class EntitlementService {

    private final Accounts accounts;
    private final Metering metering;
    private final AllocationRepository allocations;
    private final Clock clock;

    @Inject
    public EntitlementService(Accounts accounts, Metering metering, AllocationRepository allocations, Clock clock) {
        this.accounts = accounts;
        this.metering = metering;
        this.allocations = allocations;
        this.clock = clock;
    }

    /** One check; {@code 404 user_not_found} for an unknown user. */
    public Entitlement check(CheckEntitlement query) {
        UserRepository.WithPlan read = accounts.withPlan(query.user());
        User user = read.user();
        Plan plan = read.plan().orElseThrow();
        MetricKey metric = query.metric();
        if (plan.allocates(metric)) {
            return Entitlement.allocation(plan, metric, allocations.value(user.id(), metric), query.quantity());
        }
        BillingPeriod period = user.periodAt(clock.instant());
        Entitlement metered = metered(plan, metric, metering.totals(user.id(), metric, period), query.quantity(),
                period);
        Entitlement rated = metering.rateStanding(user.id(), plan, metric).map(metered::withRate).orElse(metered);
        return metering.creditCheck(user, plan, metric, query.quantity()).map(rated::withCredits).orElse(rated);
    }

    /** Every metric the user's plan limits, then every allocation it lists, each checked for one more. */
    public Entitlements all(UserId id) {
        UserRepository.WithPlan read = accounts.withPlan(id);
        User user = read.user();
        Plan plan = read.plan().orElseThrow();
        BillingPeriod period = user.periodAt(clock.instant());
        Map<MetricKey, UsageTotals> totals = metering.totals(user.id(), period);
        List<Entitlement> entitlements = new ArrayList<>();
        for (MetricKey metric : plan.limits().sorted().keySet()) {
            Entitlement metered = metered(plan, metric, totals.getOrDefault(metric, UsageTotals.ZERO), BigDecimal.ONE,
                    period);
            Entitlement rated = metering.rateStanding(user.id(), plan, metric).map(metered::withRate).orElse(metered);
            entitlements.add(metering.creditCheck(user, plan, metric, BigDecimal.ONE).map(rated::withCredits)
                    .orElse(rated));
        }
        Map<MetricKey, BigDecimal> values = allocations.values(user.id());
        for (MetricKey metric : plan.allocations().sorted().keySet()) {
            entitlements.add(Entitlement.allocation(plan, metric, values.getOrDefault(metric, BigDecimal.ZERO),
                    BigDecimal.ONE));
        }
        return new Entitlements(user.id(), plan.id(), entitlements, FeatureEntitlement.all(plan));
    }

    /**
     * Feature {@code key} of the user's plan in force (R73), empty when it names no such feature;
     * {@code 404 user_not_found} for an unknown user.
     */
    public Optional<FeatureEntitlement> feature(UserId id, String key) {
        return FeatureEntitlement.of(accounts.withPlan(id).plan().orElseThrow(), key);
    }

    /** A metered check; a {@code max} or {@code latest} meter judges the record alone (R82). */
    private Entitlement metered(Plan plan, MetricKey metric, UsageTotals totals, BigDecimal quantity,
                                BillingPeriod period) {
        boolean peak = metering.meterOf(metric).map(meter -> meter.aggregation() == Aggregation.MAX
                || meter.aggregation() == Aggregation.LATEST).orElse(false);
        return peak ? Entitlement.peak(plan, metric, totals, quantity, period)
                : Entitlement.metered(plan, metric, totals, quantity, period);
    }
}
