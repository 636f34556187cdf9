package dev.tally.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.domain.period.BillingPeriod;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** R11, R13, R15 as properties. */
class LimitDecisionProperties {

    private static final BillingPeriod PERIOD =
            new BillingPeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));

    @Property
    void R11_granting_requests_one_after_another_never_exceeds_the_limit_and_never_denies_with_room(
            @ForAll @LongRange(max = 1_000) long limit,
            @ForAll @Size(max = 200) List<@IntRange(min = 1, max = 20) Integer> requests) {
        Plan plan = Plan.of(new PlanId("p"), "P", new PlanLimits(java.util.Map.of(MetricKey.RUNS, Limit.of(limit))));
        BigDecimal used = BigDecimal.ZERO;
        for (int request : requests) {
            BigDecimal q = BigDecimal.valueOf(request);
            boolean fits = used.add(q).compareTo(BigDecimal.valueOf(limit)) <= 0;
            LimitDecision decision = plan.decide(MetricKey.RUNS, used, BigDecimal.ZERO, q, PERIOD);
            assertThat(decision.isAllowed()).isEqualTo(fits);
            if (decision.isAllowed()) {
                used = used.add(q);
            }
        }
        assertThat(used).isLessThanOrEqualTo(BigDecimal.valueOf(limit));
    }

    @Property
    void R15_status_and_percent_never_disagree(@ForAll @LongRange(min = 1, max = 10_000) long limit,
                                                @ForAll @LongRange(max = 20_000) long used) {
        MetricUsage usage = MetricUsage.of(MetricKey.RUNS, BigDecimal.valueOf(used), BigDecimal.ZERO, Limit.of(limit), 80);
        BigDecimal percent = usage.percent().orElseThrow();

        if (usage.status() == MetricStatus.EXCEEDED) {
            assertThat(percent).isGreaterThanOrEqualTo(new BigDecimal("100.0"));
        }
        if (percent.compareTo(new BigDecimal("80.0")) < 0) {
            assertThat(usage.status()).isEqualTo(MetricStatus.OK);
        }
        assertThat(usage.remaining().orElseThrow().add(BigDecimal.valueOf(Math.min(used, limit))))
                .isEqualByComparingTo(BigDecimal.valueOf(limit));
    }
}
