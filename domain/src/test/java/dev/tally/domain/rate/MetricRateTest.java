package dev.tally.domain.rate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.DomainException;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricRates;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import java.util.Map;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricRateTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void R90_one_hundred_per_ten_seconds_without_burst_admits_one_every_tenth_of_a_second() {
        MetricRate rate = MetricRate.of(100, 10);
        RateDecision first = rate.decide(Optional.empty(), T0, BigDecimal.ONE);
        assertThat(first).isInstanceOf(RateDecision.Admitted.class);
        Optional<BigInteger> tat = Optional.of(((RateDecision.Admitted) first).tat());

        RateDecision second = rate.decide(tat, T0.plusMillis(50), BigDecimal.ONE);
        assertThat(second).isInstanceOf(RateDecision.Refused.class);
        assertThat(((RateDecision.Refused) second).retryAfterNanos()).contains(50_000_000L);
        assertThat(((RateDecision.Refused) second).retryAfterMillis()).contains(50L);
        assertThat(((RateDecision.Refused) second).retryAfterSeconds()).contains(1L);
        assertThat(rate.decide(tat, T0.plusMillis(100), BigDecimal.ONE)).isInstanceOf(RateDecision.Admitted.class);
    }

    @Test
    void R90_a_burst_admits_that_many_more_at_once_after_a_quiet_spell() {
        MetricRate rate = new MetricRate(60, 60, 4);
        assertThat(rate.standing(Optional.empty(), T0).remaining()).isEqualTo(5);
        RateDecision five = rate.decide(Optional.empty(), T0, BigDecimal.valueOf(5));
        assertThat(five).isInstanceOf(RateDecision.Admitted.class);
        assertThat(five.remaining()).isZero();
        assertThat(((RateDecision.Admitted) five).resetNanos()).isEqualTo(5_000_000_000L);
        RateDecision sixth = rate.decide(Optional.of(((RateDecision.Admitted) five).tat()), T0, BigDecimal.ONE);
        assertThat(((RateDecision.Refused) sixth).retryAfterNanos()).contains(1_000_000_000L);
    }

    @Test
    void R90_a_third_of_a_second_is_kept_exactly_not_rounded() {
        MetricRate rate = MetricRate.of(3, 1);
        Optional<BigInteger> tat = Optional.empty();
        for (int k = 0; k < 3_000; k++) {
            // 333 333 333.33… ns apart: the cell arrives at the first whole nanosecond not before it.
            long offset = (k * 1_000_000_000L + 2) / 3;
            RateDecision decision = rate.decide(tat, T0.plusNanos(offset), BigDecimal.ONE);
            assertThat(decision).as("cell %d", k).isInstanceOf(RateDecision.Admitted.class);
            tat = Optional.of(((RateDecision.Admitted) decision).tat());
        }
        assertThat(rate.decide(tat, T0.plusNanos(1_000_000_000_000L - 1), BigDecimal.ONE))
                .isInstanceOf(RateDecision.Refused.class);
    }

    @Test
    void R90_bad_rates_are_refused_with_a_clear_code() {
        assertThatThrownBy(() -> MetricRate.of(10, 0)).isInstanceOf(DomainException.class)
                .hasMessageContaining("per_seconds must be 1-86400");
        assertThatThrownBy(() -> MetricRate.of(10, 86_401)).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> MetricRate.of(-1, 60)).isInstanceOf(DomainException.class)
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> MetricRate.of(0, 60)).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> new MetricRate(10, 60, -1)).isInstanceOf(DomainException.class)
                .hasMessageContaining("burst");
        assertThat(MetricRate.of(86_400, 86_400).perSeconds()).isEqualTo(86_400);
    }

    @Test
    void R90_a_rate_on_an_allocation_metric_is_refused() {
        Plan plan = Plan.of(new PlanId("team"), "Team", PlanLimits.none())
                .withAllocations(new PlanLimits(Map.of(new MetricKey("seats"), Limit.of(5))));
        assertThatThrownBy(() -> plan.withRateLimits(new MetricRates(Map.of(new MetricKey("seats"),
                MetricRate.of(1, 60))))).isInstanceOf(DomainException.class).hasMessageContaining("allocation");
        assertThat(plan.withRateLimits(new MetricRates(Map.of(new MetricKey("api_calls"), MetricRate.of(1, 60))))
                .rateLimits().of(new MetricKey("api_calls"))).contains(MetricRate.of(1, 60));
    }
}
