package dev.tally.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.domain.period.BillingPeriod;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The one admission rule, R11 and R13: {@code used + reserved + requested <= limit}. */
class AdmissionTest {

    private static final BillingPeriod PERIOD =
            new BillingPeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));

    private static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }

    @Test
    void R11_a_request_that_reaches_the_limit_exactly_is_admitted_and_one_unit_more_is_not() {
        Admission three = Limit.of(10).admission(dec("3"));

        assertThat(three.admits(dec("5"), dec("2"))).isTrue();
        assertThat(three.admits(dec("5"), dec("3"))).isFalse();
        assertThat(three.admits(dec("7.0001"))).isFalse();
    }

    @Test
    void R11_the_ceiling_is_what_may_already_be_held_and_a_request_beyond_the_limit_has_none() {
        assertThat(Limit.of(dec("10.5")).admission(dec("3")).ceiling()).hasValueSatisfying(
                ceiling -> assertThat(ceiling).isEqualByComparingTo("7.5"));
        Admission tooBig = Limit.of(2).admission(dec("3"));
        assertThat(tooBig.admits(BigDecimal.ZERO, BigDecimal.ZERO)).isFalse();
    }

    @Test
    void R11_a_limit_of_zero_admits_nothing_more_and_unlimited_admits_everything() {
        assertThat(Limit.of(0).admission(BigDecimal.ONE).admits(BigDecimal.ZERO)).isFalse();
        assertThat(Limit.of(0).admission(BigDecimal.ZERO).admits(BigDecimal.ZERO)).isTrue();
        Admission unlimited = Limit.unlimited().admission(dec("1e30"));
        assertThat(unlimited.isUnlimited()).isTrue();
        assertThat(unlimited.ceiling()).isEmpty();
        assertThat(unlimited.admits(dec("1e40"), dec("1e40"))).isTrue();
    }

    @Property
    void R11_R13_admitted_exactly_when_used_plus_reserved_plus_requested_stays_within_the_limit(
            @ForAll @LongRange(max = 1_000) long limit, @ForAll @LongRange(max = 600) long used,
            @ForAll @LongRange(max = 600) long reserved, @ForAll @LongRange(max = 600) long requested) {
        boolean fits = used + reserved + requested <= limit;

        Admission admission = Limit.of(limit).admission(BigDecimal.valueOf(requested));

        assertThat(admission.admits(BigDecimal.valueOf(used), BigDecimal.valueOf(reserved))).isEqualTo(fits);
        assertThat(Plan.of(new PlanId("p"), "P", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(limit))))
                .decide(MetricKey.RUNS, BigDecimal.valueOf(used), BigDecimal.valueOf(reserved),
                        BigDecimal.valueOf(requested), PERIOD).isAllowed())
                .isEqualTo(fits);
    }
}
