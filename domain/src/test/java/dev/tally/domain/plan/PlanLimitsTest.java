package dev.tally.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.DomainException;
import dev.tally.domain.period.BillingPeriod;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlanLimitsTest {

    private static final BillingPeriod NOVEMBER =
            new BillingPeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
    private static final MetricKey MINUTES = MetricKey.SESSION_MINUTES;

    private static Plan plan(Map<MetricKey, Limit> limits) {
        return Plan.of(new PlanId("pro"), "Pro", new PlanLimits(limits));
    }

    private static BigDecimal n(long value) {
        return BigDecimal.valueOf(value);
    }

    @Test
    void R11_a_request_is_allowed_iff_used_plus_reserved_plus_requested_fits() {
        Plan plan = plan(Map.of(MetricKey.RUNS, Limit.of(50)));

        assertThat(plan.decide(MetricKey.RUNS, n(48), n(1), n(1), NOVEMBER).isAllowed()).isTrue();
        assertThat(plan.decide(MetricKey.RUNS, n(48), n(2), n(1), NOVEMBER).isAllowed()).isFalse();
    }

    @Test
    void R11_zero_means_nothing_is_allowed_not_unlimited() {
        Plan plan = plan(Map.of(MetricKey.RUNS, Limit.of(0)));

        assertThat(plan.decide(MetricKey.RUNS, n(0), n(0), n(1), NOVEMBER)).isInstanceOf(LimitExceeded.class);
    }

    @Test
    void R11_unlimited_is_explicit_and_a_metric_absent_from_the_plan_is_unlimited() {
        Plan plan = plan(Map.of(MetricKey.RUNS, Limit.unlimited()));

        assertThat(plan.decide(MetricKey.RUNS, n(1_000_000), n(0), n(1), NOVEMBER).isAllowed()).isTrue();
        assertThat(plan.limitOf(new MetricKey("exports"))).isEqualTo(Limit.unlimited());
    }

    @Test
    void R11_a_limit_cannot_be_negative() {
        assertThatThrownBy(() -> Limit.of(-1)).isInstanceOf(DomainException.class);
    }

    @Test
    void R12_minutes_limit_reached_is_a_limit_exceeded_value_with_used_limit_and_reset() {
        Plan plan = plan(Map.of(MINUTES, Limit.of(500)));

        LimitDecision decision = plan.decide(MINUTES, n(500), n(0), n(1), NOVEMBER);

        assertThat(decision).isInstanceOf(LimitExceeded.class);
        LimitExceeded exceeded = (LimitExceeded) decision;
        assertThat(exceeded.code()).isEqualTo("session_minutes_limit_exceeded");
        assertThat(exceeded.used()).isEqualByComparingTo("500");
        assertThat(exceeded.limit()).isEqualByComparingTo("500");
        assertThat(exceeded.requested()).isEqualByComparingTo("1");
        assertThat(exceeded.plan()).isEqualTo(new PlanId("pro"));
        assertThat(exceeded.resetsAt()).isEqualTo(NOVEMBER.end());
    }

    @Test
    void R15_five_of_fifty_is_ten_percent_and_ok() {
        MetricUsage usage = plan(Map.of(MetricKey.RUNS, Limit.of(50))).usageOf(MetricKey.RUNS, n(5), n(0));

        assertThat(usage.percent()).contains(new BigDecimal("10.0"));
        assertThat(usage.remaining()).contains(n(45));
        assertThat(usage.status()).isEqualTo(MetricStatus.OK);
    }

    @Test
    void R15_status_turns_to_warning_at_the_threshold_and_exceeded_at_one_hundred_percent() {
        Plan plan = plan(Map.of(MetricKey.RUNS, Limit.of(50)));

        assertThat(plan.usageOf(MetricKey.RUNS, n(39), n(0)).status()).isEqualTo(MetricStatus.OK);
        assertThat(plan.usageOf(MetricKey.RUNS, n(40), n(0)).status()).isEqualTo(MetricStatus.WARNING);
        assertThat(plan.usageOf(MetricKey.RUNS, n(50), n(0)).status()).isEqualTo(MetricStatus.EXCEEDED);
    }

    @Test
    void R15_percent_is_rounded_half_up_to_one_decimal_and_may_exceed_one_hundred() {
        Plan plan = plan(Map.of(MetricKey.RUNS, Limit.of(3), MINUTES, Limit.of(400)));

        assertThat(plan.usageOf(MetricKey.RUNS, n(1), n(0)).percent()).contains(new BigDecimal("33.3"));
        assertThat(plan.usageOf(MetricKey.RUNS, n(2), n(0)).percent()).contains(new BigDecimal("66.7"));
        assertThat(plan.usageOf(MINUTES, n(1), n(0)).percent()).contains(new BigDecimal("0.3"));
        assertThat(plan.usageOf(MINUTES, n(600), n(0)).percent()).contains(new BigDecimal("150.0"));
        assertThat(plan.usageOf(MINUTES, n(600), n(0)).remaining()).contains(BigDecimal.ZERO);
    }

    @Test
    void R15_unlimited_has_no_percent_and_is_ok() {
        MetricUsage usage = plan(Map.of()).usageOf(MetricKey.RUNS, n(1234), n(0));

        assertThat(usage.percent()).isEmpty();
        assertThat(usage.limit()).isEmpty();
        assertThat(usage.status()).isEqualTo(MetricStatus.OK);
    }

    @Test
    void R15_a_limit_of_zero_with_nothing_used_is_zero_percent_and_exceeded() {
        MetricUsage usage = plan(Map.of(MetricKey.RUNS, Limit.of(0))).usageOf(MetricKey.RUNS, n(0), n(0));

        assertThat(usage.percent()).contains(new BigDecimal("0.0"));
        assertThat(usage.status()).isEqualTo(MetricStatus.EXCEEDED);
    }

    @Test
    void R15_the_warning_threshold_is_the_plans() {
        Plan plan = new Plan(new PlanId("p"), "P", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(10))),
                Optional.empty(), 50);

        assertThat(plan.usageOf(MetricKey.RUNS, n(5), n(0)).status()).isEqualTo(MetricStatus.WARNING);
    }

    @Test
    void R16_file_size_is_checked_per_item_not_summed() {
        Plan plan = new Plan(new PlanId("p"), "P", PlanLimits.none(), Optional.of(n(60)), 80);

        assertThat(plan.checkFileSize(n(60))).isEmpty();
        assertThat(plan.checkFileSize(new BigDecimal("60.5")))
                .hasValueSatisfying(breach -> assertThat(breach.code()).isEqualTo("file_size_limit_exceeded"));
    }

    @Test
    void R22_metric_keys_follow_the_pattern() {
        assertThat(new MetricKey("api_calls.video").value()).isEqualTo("api_calls.video");
        assertThatThrownBy(() -> new MetricKey("Runs")).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> new MetricKey("9lives")).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> new MetricKey("a".repeat(64))).isInstanceOf(DomainException.class);
    }

    @Test
    void R11_R64_a_whole_unit_metric_refuses_a_fractional_limit() {
        assertThatThrownBy(() -> new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(new BigDecimal("1.5")))))
                .isInstanceOf(DomainException.class)
                .hasFieldOrPropertyWithValue("code", "invalid_limit")
                .hasMessageContaining("runs");
        assertThat(new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(new BigDecimal("2.0")),
                new MetricKey("exports"), Limit.of(new BigDecimal("1.5")))).limitOf(MetricKey.RUNS).max())
                .contains(new BigDecimal("2"));
    }

    @Test
    void R64_a_refusal_names_the_first_offending_limit_in_the_order_given_whatever_the_order() {
        List<Map.Entry<String, String>> limits = List.of(Map.entry("api_calls.video", "99999999999.999999"),
                Map.entry("api_calls.search", "0.5"), Map.entry("runs", "1.25"), Map.entry("sessions", "7.5"),
                Map.entry("activation_codes", "0.000001"), Map.entry("session_minutes", "2.75"),
                Map.entry("exports", "2.5"), Map.entry("cost_usd", "0.25"), Map.entry("gpu_hours", "0.75"),
                Map.entry("storage_gb", "1.5"), Map.entry("seats", "3.5"));
        // Every rotation and its reverse: a hash order can match the order given in one of them at most.
        for (int shift = 0; shift < limits.size(); shift++) {
            List<Map.Entry<String, String>> rotated = new ArrayList<>(limits.subList(shift, limits.size()));
            rotated.addAll(limits.subList(0, shift));
            for (List<Map.Entry<String, String>> order : List.of(rotated, reversed(rotated))) {
                Map<MetricKey, Limit> given = new LinkedHashMap<>();
                order.forEach(e -> given.put(new MetricKey(e.getKey()), Limit.of(new BigDecimal(e.getValue()))));
                String first = given.keySet().stream().filter(MetricKey::countsWholeUnits).findFirst()
                        .orElseThrow().value();
                assertThatThrownBy(() -> new PlanLimits(given)).as("limits in the order %s", given.keySet())
                        .isInstanceOf(DomainException.class)
                        .hasFieldOrPropertyWithValue("code", "invalid_limit")
                        .hasMessage(first + " counts whole units; its limit cannot be a fraction");
                // As allocations, which count whole units all (R72), the first in order is refused.
                Map<MetricKey, Limit> allocations = new LinkedHashMap<>();
                given.forEach((metric, limit) -> {
                    if (!metric.countsWholeUnits()) {
                        allocations.put(metric, limit);
                    }
                });
                String firstAllocation = allocations.keySet().iterator().next().value();
                Plan plan = Plan.of(new PlanId("p"), "P", PlanLimits.none());
                assertThatThrownBy(() -> plan.withAllocations(new PlanLimits(allocations)))
                        .as("allocations in the order %s", allocations.keySet())
                        .isInstanceOf(DomainException.class)
                        .hasFieldOrPropertyWithValue("code", "invalid_limit")
                        .hasMessageStartingWith("allocation " + firstAllocation + " counts whole units");
            }
        }
    }

    @Test
    void R64_limits_keep_the_order_given_and_cannot_be_changed() {
        Map<MetricKey, Limit> given = new LinkedHashMap<>();
        for (String metric : List.of("zeta", "alpha", "runs", "mid", "beta")) {
            given.put(new MetricKey(metric), Limit.of(1));
        }
        PlanLimits limits = new PlanLimits(given);
        given.put(new MetricKey("later"), Limit.of(2));

        assertThat(limits.byMetric().keySet()).extracting(MetricKey::value)
                .containsExactly("zeta", "alpha", "runs", "mid", "beta");
        assertThat(limits.sorted().keySet()).extracting(MetricKey::value)
                .containsExactly("alpha", "beta", "mid", "runs", "zeta");
        assertThatThrownBy(() -> limits.byMetric().put(new MetricKey("other"), Limit.of(1)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(limits).isEqualTo(new PlanLimits(new java.util.TreeMap<>(limits.byMetric())));
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }

    @Test
    void R64_a_limit_with_a_huge_exponent_is_refused_without_spelling_it_out() {
        assertThatThrownBy(() -> Limit.of(new BigDecimal("1e999999999")))
                .isInstanceOf(DomainException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
        assertThatThrownBy(() -> Limit.of(new BigDecimal("1e-999999999")))
                .isInstanceOf(DomainException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }
}
