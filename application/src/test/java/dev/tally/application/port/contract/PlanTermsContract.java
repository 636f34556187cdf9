package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import dev.tally.application.billing.ListUsers;
import dev.tally.application.billing.UserList;
import dev.tally.application.entitlement.CheckEntitlement;
import dev.tally.application.entitlement.Entitlements;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.PutUser;
import dev.tally.domain.DomainException;
import dev.tally.domain.entitlement.FeatureEntitlement;
import dev.tally.domain.plan.Feature;
import dev.tally.domain.plan.Features;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.CreditsPerPeriod;
import dev.tally.domain.plan.MetricRates;
import dev.tally.domain.plan.RateLimited;
import dev.tally.domain.rate.MetricRate;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.plan.PlanOverride;
import dev.tally.domain.plan.Source;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.ScheduledPlanChange;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plans for real customers on every storage (R73): features, per-user overrides layered key by
 * key until their expiry, and plan changes that apply lazily at their instant.
 */
public abstract class PlanTermsContract {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final Instant APRIL = Instant.parse("2026-04-01T00:00:00Z");
    private static final MetricKey EXPORTS = new MetricKey("exports");
    private static final MetricKey SEATS = new MetricKey("seats");

    protected abstract TallyStorage storage();

    private final ManualClock clock = new ManualClock(NOW);
    private Tally tally;
    private UserId user;
    private PlanId pro;
    private PlanId free;

    @BeforeEach
    void setUp() {
        tally = Tally.create(storage(), clock, Tally.Settings.DEFAULTS);
        pro = new PlanId(newId("pro"));
        free = new PlanId(newId("free"));
        tally.plans().put(Plan.of(pro, "Pro", new PlanLimits(Map.of(EXPORTS, Limit.of(2))))
                .withAllocations(new PlanLimits(Map.of(SEATS, Limit.of(3))))
                .withFeatures(new Features(Map.of("sso", Feature.flag(false),
                        "retention_days", Feature.number(BigDecimal.valueOf(90)),
                        "support_tier", Feature.text("standard")))));
        tally.plans().put(Plan.of(free, "Free", new PlanLimits(Map.of(EXPORTS, Limit.of(1)))));
        user = newUser();
        tally.users().put(PutUser.of(user, pro));
    }

    private static PlanOverride exports(long max, Optional<Instant> expiresAt) {
        return new PlanOverride(new PlanLimits(Map.of(EXPORTS, Limit.of(max))), PlanLimits.none(), Features.none(),
                expiresAt);
    }

    private Outcome<?> export(long quantity) {
        return tally.usage().record(new RecordUsage(user, List.of(new UsageItem(EXPORTS, BigDecimal.valueOf(quantity),
                Optional.empty(), new IdempotencyKey(newId("k")), Map.of())), true));
    }

    private MetricUsage exportsShown() {
        return tally.billing().overview(user).metrics().stream().filter(m -> m.metric().equals(EXPORTS)).findFirst()
                .orElseThrow();
    }

    /** The user's row of the operator's list, paged through (other tests' users share the storage). */
    private UserList.Standing standing() {
        Optional<String> cursor = Optional.empty();
        while (true) {
            UserList page = tally.userList().list(new ListUsers(java.util.Set.of(), ListUsers.MAX_LIMIT, cursor));
            Optional<UserList.Standing> found = page.users().stream().filter(s -> s.user().equals(user)).findFirst();
            if (found.isPresent() || page.nextCursor().isEmpty()) {
                return found.orElseThrow();
            }
            cursor = page.nextCursor();
        }
    }

    @Test
    void R73_a_plan_keeps_its_features_in_storage() {
        Plan stored = tally.plans().get(pro);

        assertThat(stored.features().of("sso")).contains(Feature.flag(false));
        assertThat(stored.features().of("retention_days")).contains(Feature.number(BigDecimal.valueOf(90)));
        assertThat(stored.features().of("support_tier")).contains(Feature.text("standard"));
        assertThat(tally.plans().get(free).features().byKey()).isEmpty();
    }

    @Test
    void R73_an_override_lifts_a_limit_for_enforcement_checks_and_the_overview_and_says_so() {
        tally.overrides().put(user, exports(5, Optional.empty()));

        assertThat(export(5)).isInstanceOf(Outcome.Done.class);
        assertThat(export(1)).isInstanceOfSatisfying(Outcome.Refused.class, refused ->
                assertThat(((LimitExceeded) refused.refusal()).limit()).isEqualByComparingTo("5"));
        assertThat(exportsShown().limit()).hasValueSatisfying(l -> assertThat(l).isEqualByComparingTo("5"));
        assertThat(exportsShown().source()).isEqualTo(Source.OVERRIDE);
        assertThat(tally.entitlements().check(new CheckEntitlement(user, EXPORTS, BigDecimal.ONE)).usage().source())
                .isEqualTo(Source.OVERRIDE);
        assertThat(standing().worst().orElseThrow().limit())
                .hasValueSatisfying(l -> assertThat(l).isEqualByComparingTo("5"));
        assertThat(standing().worst().orElseThrow().source()).isEqualTo(Source.OVERRIDE);
    }

    @Test
    void R73_R90_an_override_lifts_a_rate_limit_and_keeps_its_credits_every_period_in_storage() {
        tally.plans().put(tally.plans().get(pro).withRateLimits(
                new MetricRates(Map.of(EXPORTS, new MetricRate(1, 60, 0)))));
        assertThat(export(1)).isInstanceOf(Outcome.Done.class);
        assertThat(export(1)).isInstanceOfSatisfying(Outcome.Refused.class, refused ->
                assertThat(refused.refusal()).isInstanceOf(RateLimited.class));
        PlanOverride faster = new PlanOverride(PlanLimits.none(), PlanLimits.none(), Features.none(), Optional.empty(),
                new MetricRates(Map.of(EXPORTS, new MetricRate(10, 60, 20))),
                Optional.of(new CreditsPerPeriod(500, 20, Optional.of(100L))));

        tally.overrides().put(user, faster);

        assertThat(export(1)).isInstanceOf(Outcome.Done.class);
        assertThat(tally.overrides().get(user)).contains(faster);
        assertThat(export(1)).isInstanceOfSatisfying(Outcome.Refused.class, refused ->
                assertThat(refused.refusal()).isInstanceOf(LimitExceeded.class));
    }

    @Test
    void R73_removing_the_override_falls_back_to_the_plan() {
        tally.overrides().put(user, exports(5, Optional.empty()));
        tally.overrides().remove(user);

        assertThat(export(3)).isInstanceOf(Outcome.Refused.class);
        assertThat(exportsShown().source()).isEqualTo(Source.PLAN);
        assertThat(tally.overrides().get(user)).isEmpty();
        assertThatThrownBy(() -> tally.overrides().remove(user)).isInstanceOf(DomainException.class)
                .extracting("code").isEqualTo("no_override");
    }

    @Test
    void R73_an_override_stops_applying_at_its_expiry_without_anything_removing_it() {
        Instant expiry = NOW.plus(Duration.ofHours(1));
        tally.overrides().put(user, exports(5, Optional.of(expiry)));
        clock.set(expiry.minusNanos(1));
        assertThat(export(4)).isInstanceOf(Outcome.Done.class);

        clock.set(expiry);

        assertThat(export(1)).isInstanceOfSatisfying(Outcome.Refused.class, refused ->
                assertThat(((LimitExceeded) refused.refusal()).limit()).isEqualByComparingTo("2"));
        assertThat(exportsShown().source()).isEqualTo(Source.PLAN);
        assertThat(tally.overrides().get(user)).hasValueSatisfying(o -> assertThat(o.expiresAt()).contains(expiry));
    }

    @Test
    void R73_an_expiry_not_after_now_is_refused_and_nothing_is_stored() {
        assertThatThrownBy(() -> tally.overrides().put(user, exports(5, Optional.of(NOW))))
                .isInstanceOf(DomainException.class).extracting("code").isEqualTo("invalid_expires_at");
        assertThat(tally.overrides().get(user)).isEmpty();
        assertThatThrownBy(() -> tally.overrides().put(newUser(), exports(5, Optional.empty())))
                .extracting("code").isEqualTo("user_not_found");
    }

    @Test
    void R73_features_come_from_the_plan_or_the_override_key_by_key() {
        tally.overrides().put(user, new PlanOverride(PlanLimits.none(), new PlanLimits(Map.of(SEATS, Limit.of(50))),
                new Features(Map.of("sso", Feature.flag(true))), Optional.empty()));

        FeatureEntitlement sso = tally.entitlements().feature(user, "sso").orElseThrow();
        FeatureEntitlement retention = tally.entitlements().feature(user, "retention_days").orElseThrow();
        Entitlements all = tally.entitlements().all(user);

        assertThat(sso.feature()).isEqualTo(Feature.flag(true));
        assertThat(sso.source()).isEqualTo(Source.OVERRIDE);
        assertThat(retention.feature()).isEqualTo(Feature.number(BigDecimal.valueOf(90)));
        assertThat(retention.source()).isEqualTo(Source.PLAN);
        assertThat(tally.entitlements().feature(user, "audit_log")).isEmpty();
        assertThat(all.features()).extracting(FeatureEntitlement::key)
                .containsExactly("retention_days", "sso", "support_tier");
        assertThat(all.entitlements()).filteredOn(e -> e.metric().equals(SEATS)).singleElement()
                .satisfies(e -> {
                    assertThat(e.usage().limit()).hasValueSatisfying(l -> assertThat(l).isEqualByComparingTo("50"));
                    assertThat(e.usage().source()).isEqualTo(Source.OVERRIDE);
                });
    }

    @Test
    void R73_an_override_survives_a_plan_change() {
        tally.overrides().put(user, exports(5, Optional.empty()));

        tally.users().changePlan(user, free);

        assertThat(exportsShown().limit()).hasValueSatisfying(l -> assertThat(l).isEqualByComparingTo("5"));
        assertThat(exportsShown().source()).isEqualTo(Source.OVERRIDE);
        assertThat(tally.billing().overview(user).plan().id()).isEqualTo(free);
    }

    @Test
    void R73_a_scheduled_change_is_pending_until_its_instant_then_applies_without_anything_running() {
        ScheduledPlanChange booked = tally.users().schedulePlanChange(user, free, Optional.empty(), Optional.empty());

        assertThat(booked).isEqualTo(new ScheduledPlanChange(free, APRIL));
        assertThat(tally.users().pendingPlanChange(user)).contains(booked);
        assertThat(tally.users().get(user).planId()).isEqualTo(pro);
        assertThat(export(2)).isInstanceOf(Outcome.Done.class);

        clock.set(APRIL);

        assertThat(tally.users().get(user).planId()).isEqualTo(free);
        assertThat(tally.billing().overview(user).plan().id()).isEqualTo(free);
        assertThat(tally.users().pendingPlanChange(user)).isEmpty();
        assertThat(export(2)).isInstanceOfSatisfying(Outcome.Refused.class, refused ->
                assertThat(((LimitExceeded) refused.refusal()).plan()).isEqualTo(free));
        assertThatThrownBy(() -> tally.users().cancelPlanChange(user)).extracting("code")
                .isEqualTo("no_pending_plan_change");
    }

    @Test
    void R73_a_pending_change_is_cancelled_in_one_call_and_an_immediate_change_replaces_it() {
        tally.users().schedulePlanChange(user, free, Optional.of(NOW.plus(Duration.ofDays(1))), Optional.empty());

        tally.users().cancelPlanChange(user);
        clock.advance(Duration.ofDays(2));

        assertThat(tally.users().get(user).planId()).isEqualTo(pro);
        tally.users().schedulePlanChange(user, free, Optional.of(clock.instant().plus(Duration.ofDays(1))),
                Optional.empty());
        tally.users().changePlan(user, pro);
        clock.advance(Duration.ofDays(2));
        assertThat(tally.users().get(user).planId()).isEqualTo(pro);
        assertThat(tally.users().pendingPlanChange(user)).isEmpty();
    }

    @Test
    void R73_a_scheduled_change_that_has_applied_is_not_undone_by_a_later_write_of_the_user() {
        tally.users().schedulePlanChange(user, free, Optional.of(NOW.plus(Duration.ofDays(1))), Optional.empty());
        clock.advance(Duration.ofDays(2));

        tally.users().put(PutUser.of(user, free));
        tally.users().schedulePlanChange(user, pro, Optional.of(clock.instant().plus(Duration.ofDays(1))),
                Optional.empty());

        assertThat(tally.users().get(user).planId()).isEqualTo(free);
        assertThat(tally.users().pendingPlanChange(user)).hasValueSatisfying(p -> assertThat(p.plan()).isEqualTo(pro));
    }

    @Test
    void R73_a_change_to_an_unknown_plan_or_to_a_past_instant_is_refused_and_nothing_is_stored() {
        assertThatThrownBy(() -> tally.users().schedulePlanChange(user, new PlanId(newId("nope")), Optional.empty(),
                Optional.empty())).extracting("code").isEqualTo("unknown_plan");
        assertThatThrownBy(() -> tally.users().schedulePlanChange(user, free, Optional.of(NOW), Optional.empty()))
                .extracting("code").isEqualTo("invalid_at");

        assertThat(tally.users().pendingPlanChange(user)).isEmpty();
    }
}
