package dev.tally.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.DomainException;
import dev.tally.domain.user.ScheduledPlanChange;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import dev.tally.domain.period.BillingSchedule;
import dev.tally.domain.rate.MetricRate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EffectivePlanTest {

    private static final MetricKey EXPORTS = new MetricKey("exports");
    private static final MetricKey SEATS = new MetricKey("seats");
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant EXPIRY = Instant.parse("2026-12-31T00:00:00Z");

    private static final Plan PRO = new Plan(new PlanId("pro"), "Pro", new PlanLimits(Map.of(EXPORTS, Limit.of(1000))),
            Optional.empty(), 80, new PlanLimits(Map.of(SEATS, Limit.of(5))), PlanAlerts.DEFAULT,
            java.util.OptionalInt.empty(), DisplayNames.none(),
            new Features(Map.of("sso", Feature.flag(false), "retention_days", Feature.number(BigDecimal.valueOf(30)))));

    private static PlanOverride override(Optional<Instant> expiresAt) {
        return new PlanOverride(new PlanLimits(Map.of(EXPORTS, Limit.of(5000))), new PlanLimits(Map.of(SEATS, Limit.of(50))),
                new Features(Map.of("sso", Feature.flag(true))), expiresAt);
    }

    @Test
    void R73_an_override_replaces_the_plan_key_by_key_and_says_so() {
        Plan effective = EffectivePlan.at(PRO, Optional.of(override(Optional.empty())), T0);

        assertThat(effective.limitOf(EXPORTS)).isEqualTo(Limit.of(5000));
        assertThat(effective.allocationLimitOf(SEATS)).isEqualTo(Limit.of(50));
        assertThat(effective.features().of("sso")).contains(Feature.flag(true));
        assertThat(effective.features().of("retention_days")).contains(Feature.number(BigDecimal.valueOf(30)));
        assertThat(effective.sourceOf(EXPORTS)).isEqualTo(Source.OVERRIDE);
        assertThat(effective.sourceOf(SEATS)).isEqualTo(Source.OVERRIDE);
        assertThat(effective.featureSource("sso")).isEqualTo(Source.OVERRIDE);
        assertThat(effective.featureSource("retention_days")).isEqualTo(Source.PLAN);
        assertThat(effective.id()).isEqualTo(PRO.id());
        assertThat(effective.usageOf(EXPORTS, BigDecimal.ONE, BigDecimal.ZERO).source()).isEqualTo(Source.OVERRIDE);
        assertThat(effective.allocationOf(SEATS, BigDecimal.ONE).source()).isEqualTo(Source.OVERRIDE);
        assertThat(PRO.usageOf(EXPORTS, BigDecimal.ONE, BigDecimal.ZERO).source()).isEqualTo(Source.PLAN);
    }

    @Test
    void R73_an_override_keeps_the_plans_rate_limits_and_credits_every_period_it_does_not_name() {
        Plan rated = PRO.withRateLimits(new MetricRates(Map.of(EXPORTS, new MetricRate(10, 60, 0))))
                .withCreditsPerPeriod(Optional.of(new CreditsPerPeriod(100, 50, Optional.of(0L))));

        Plan effective = EffectivePlan.at(rated, Optional.of(override(Optional.empty())), T0);

        assertThat(effective.rateLimits().of(EXPORTS)).contains(new MetricRate(10, 60, 0));
        assertThat(effective.creditsPerPeriod()).isEqualTo(rated.creditsPerPeriod());
        assertThat(effective.overridden().sourceOf(Overridden.Section.RATE_LIMITS, "exports")).isEqualTo(Source.PLAN);
    }

    @Test
    void R73_an_override_replaces_a_rate_limit_and_the_credits_every_period_until_it_expires() {
        Plan rated = PRO.withRateLimits(new MetricRates(Map.of(EXPORTS, new MetricRate(10, 60, 0))))
                .withCreditsPerPeriod(Optional.of(new CreditsPerPeriod(100, 50, Optional.of(0L))));
        PlanOverride faster = new PlanOverride(PlanLimits.none(), PlanLimits.none(), Features.none(),
                Optional.of(EXPIRY), new MetricRates(Map.of(EXPORTS, new MetricRate(100, 60, 5))),
                Optional.of(new CreditsPerPeriod(1_000, 10, Optional.empty())));

        Plan during = EffectivePlan.at(rated, Optional.of(faster), T0);
        Plan after = EffectivePlan.at(rated, Optional.of(faster), EXPIRY);

        assertThat(during.rateLimits().of(EXPORTS)).contains(new MetricRate(100, 60, 5));
        assertThat(during.overridden().sourceOf(Overridden.Section.RATE_LIMITS, "exports")).isEqualTo(Source.OVERRIDE);
        assertThat(during.creditsPerPeriod()).contains(new CreditsPerPeriod(1_000, 10, Optional.empty()));
        assertThat(during.overridden().sourceOf(Overridden.Section.CREDITS_PER_PERIOD,
                EffectivePlan.CREDITS_PER_PERIOD)).isEqualTo(Source.OVERRIDE);
        assertThat(during.limitOf(EXPORTS)).isEqualTo(Limit.of(1000));
        assertThat(after.rateLimits().of(EXPORTS)).contains(new MetricRate(10, 60, 0));
        assertThat(after.creditsPerPeriod()).isEqualTo(rated.creditsPerPeriod());
    }

    @Test
    void R73_R90_an_override_cannot_rate_a_metric_it_makes_an_allocation() {
        assertThatThrownBy(() -> new PlanOverride(PlanLimits.none(), new PlanLimits(Map.of(SEATS, Limit.of(9))),
                Features.none(), Optional.empty(), new MetricRates(Map.of(SEATS, new MetricRate(1, 1, 0))),
                Optional.empty()))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo("invalid_rate_limit"));
    }

    @Test
    void R73_an_override_stops_applying_at_its_expiry_instant_not_before() {
        Optional<PlanOverride> override = Optional.of(override(Optional.of(EXPIRY)));

        Plan before = EffectivePlan.at(PRO, override, EXPIRY.minusNanos(1));
        Plan at = EffectivePlan.at(PRO, override, EXPIRY);

        assertThat(before.limitOf(EXPORTS)).isEqualTo(Limit.of(5000));
        assertThat(at.limitOf(EXPORTS)).isEqualTo(Limit.of(1000));
        assertThat(at.sourceOf(EXPORTS)).isEqualTo(Source.PLAN);
        assertThat(at.features().of("sso")).contains(Feature.flag(false));
    }

    @Test
    void R73_a_key_the_override_does_not_name_falls_back_to_the_plan() {
        PlanOverride onlyFeature = new PlanOverride(PlanLimits.none(), PlanLimits.none(),
                new Features(Map.of("audit_log", Feature.flag(true))), Optional.empty());

        Plan effective = EffectivePlan.at(PRO, Optional.of(onlyFeature), T0);

        assertThat(effective.limitOf(EXPORTS)).isEqualTo(Limit.of(1000));
        assertThat(effective.sourceOf(EXPORTS)).isEqualTo(Source.PLAN);
        assertThat(effective.features().of("audit_log")).contains(Feature.flag(true));
        assertThat(effective.featureSource("audit_log")).isEqualTo(Source.OVERRIDE);
    }

    @Test
    void R73_an_override_of_a_metric_the_plan_names_in_another_section_keeps_the_plan() {
        PlanOverride crossed = new PlanOverride(new PlanLimits(Map.of(SEATS, Limit.of(99))), PlanLimits.none(),
                Features.none(), Optional.empty());

        Plan effective = EffectivePlan.at(PRO, Optional.of(crossed), T0);

        assertThat(effective.allocationLimitOf(SEATS)).isEqualTo(Limit.of(5));
        assertThat(effective.sourceOf(SEATS)).isEqualTo(Source.PLAN);
    }

    @Test
    void R73_bad_overrides_and_features_are_refused_with_a_code() {
        assertThatThrownBy(() -> Limit.of(-1)).isInstanceOf(DomainException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> override(Optional.of(EXPIRY)).checkedAt(EXPIRY))
                .isInstanceOf(DomainException.class).extracting("code").isEqualTo("invalid_expires_at");
        assertThatThrownBy(() -> new PlanOverride(new PlanLimits(Map.of(EXPORTS, Limit.of(1))),
                new PlanLimits(Map.of(EXPORTS, Limit.of(2))), Features.none(), Optional.empty()))
                .extracting("code").isEqualTo("invalid_override");
        assertThatThrownBy(() -> new PlanOverride(PlanLimits.none(), new PlanLimits(Map.of(SEATS, Limit.of(new BigDecimal("1.5")))),
                Features.none(), Optional.empty())).extracting("code").isEqualTo("invalid_limit");
        assertThatThrownBy(() -> Feature.text("x".repeat(201))).extracting("code").isEqualTo("invalid_feature");
        assertThatThrownBy(() -> Feature.number(new BigDecimal("0.0000001"))).extracting("code")
                .isEqualTo("invalid_feature");
        assertThatThrownBy(() -> new Features(Map.of("SSO", Feature.flag(true)))).extracting("code")
                .isEqualTo("invalid_feature");
        assertThatThrownBy(() -> PRO.withFeatures(new Features(Map.of("exports", Feature.flag(true)))))
                .extracting("code").isEqualTo("invalid_feature");
    }

    @Test
    void R73_a_scheduled_change_applies_at_its_instant_without_anything_writing_it_down() {
        User user = new User(new UserId("u1"), PRO.id(), BillingSchedule.of(dev.tally.domain.period.BillingCycle.calendarMonth(T0)), T0);
        ScheduledPlanChange downgrade = ScheduledPlanChange.booked(new PlanId("free"), EXPIRY, T0);

        assertThat(downgrade.applyTo(user, EXPIRY.minusNanos(1)).planId()).isEqualTo(PRO.id());
        assertThat(downgrade.applyTo(user, EXPIRY).planId()).isEqualTo(new PlanId("free"));
        assertThat(ScheduledPlanChange.userAt(user, Optional.empty(), EXPIRY).planId()).isEqualTo(PRO.id());
        assertThatThrownBy(() -> ScheduledPlanChange.booked(new PlanId("free"), T0, T0)).extracting("code")
                .isEqualTo("invalid_at");
    }
}
