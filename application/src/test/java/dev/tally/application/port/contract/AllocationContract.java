package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import dev.tally.application.allocation.ChangeAllocation;
import dev.tally.application.allocation.SetAllocation;
import dev.tally.application.entitlement.CheckEntitlement;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.PutUser;
import dev.tally.domain.DomainException;
import dev.tally.domain.entitlement.Entitlement;
import dev.tally.domain.entitlement.MetricKind;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricStatus;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Allocations as use cases on every storage (R72): plans list them, increases are checked and
 * recorded as one, decreases stop at zero, an operator may set them, a downgrade keeps them, and
 * they show in entitlements (R70) and in the billing overview (R50).
 */
public abstract class AllocationContract {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final MetricKey SEATS = new MetricKey("seats");
    private static final MetricKey PROJECTS = new MetricKey("projects");

    protected abstract TallyStorage storage();

    private final ManualClock clock = new ManualClock(NOW);
    private Tally tally;
    private UserId user;
    private PlanId team;
    private PlanId solo;

    @BeforeEach
    void setUp() {
        tally = Tally.create(storage(), clock, Tally.Settings.DEFAULTS);
        team = new PlanId(newId("team"));
        solo = new PlanId(newId("solo"));
        tally.plans().put(Plan.of(team, "Team", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(5))))
                .withAllocations(new PlanLimits(Map.of(SEATS, Limit.of(5), PROJECTS, Limit.unlimited()))));
        tally.plans().put(Plan.of(solo, "Solo", PlanLimits.none())
                .withAllocations(new PlanLimits(Map.of(SEATS, Limit.of(1)))));
        user = newUser();
        tally.users().put(PutUser.of(user, team));
    }

    private Outcome<MetricUsage> change(MetricKey metric, long delta, String key) {
        return tally.allocations().change(new ChangeAllocation(user, metric, BigDecimal.valueOf(delta),
                Optional.ofNullable(key).map(IdempotencyKey::new)));
    }

    private MetricUsage seats() {
        return tally.allocations().list(user).allocations().stream().filter(a -> a.metric().equals(SEATS))
                .findFirst().orElseThrow();
    }

    @Test
    void R72_a_plan_keeps_its_allocations_apart_from_its_limits() {
        Plan stored = tally.plans().get(team);

        assertThat(stored.allocations().limitOf(SEATS)).isEqualTo(Limit.of(5));
        assertThat(stored.allocations().limitOf(PROJECTS)).isEqualTo(Limit.unlimited());
        assertThat(stored.limits().byMetric()).containsOnlyKeys(MetricKey.RUNS);
        assertThatThrownBy(() -> Plan.of(team, "Both", new PlanLimits(Map.of(SEATS, Limit.of(1))))
                .withAllocations(new PlanLimits(Map.of(SEATS, Limit.of(1)))))
                .extracting("code").isEqualTo("invalid_plan");
    }

    @Test
    void R72_increases_fill_the_limit_and_the_next_is_refused_as_R12_without_a_reset() {
        assertThat(change(SEATS, 5, null)).isInstanceOf(Outcome.Done.class);

        Outcome<MetricUsage> sixth = change(SEATS, 1, null);

        assertThat(sixth).isInstanceOfSatisfying(Outcome.Refused.class, refused -> {
            LimitExceeded denial = (LimitExceeded) refused.refusal();
            assertThat(denial.code()).isEqualTo("seats_limit_exceeded");
            assertThat(denial.currentUsage()).isEqualByComparingTo("5");
            assertThat(denial.limit()).isEqualByComparingTo("5");
            assertThat(denial.requested()).isEqualByComparingTo("1");
            assertThat(denial.plan()).isEqualTo(team);
            assertThat(denial.resetsAt()).isNull();
        });
        assertThat(seats().used()).isEqualByComparingTo("5");
        assertThat(seats().status()).isEqualTo(MetricStatus.EXCEEDED);
    }

    @Test
    void R72_a_decrease_below_zero_is_409_and_changes_nothing() {
        change(SEATS, 1, null);

        assertThatThrownBy(() -> change(SEATS, -2, null)).isInstanceOf(DomainException.class)
                .extracting("code").isEqualTo("allocation_below_zero");
        assertThat(seats().used()).isEqualByComparingTo("1");
    }

    @Test
    void R20_a_retried_change_counts_once_and_a_different_one_under_its_key_is_refused() {
        Outcome<MetricUsage> first = change(SEATS, 2, "add-two");
        Outcome<MetricUsage> retry = change(SEATS, 2, "add-two");

        assertThat(retry.orElseThrow().used()).isEqualByComparingTo(first.orElseThrow().used())
                .isEqualByComparingTo("2");
        assertThat(seats().used()).isEqualByComparingTo("2");
        assertThatThrownBy(() -> change(SEATS, 3, "add-two")).extracting("code").isEqualTo("idempotency_key_reused");
    }

    @Test
    void R72_an_operator_may_set_a_value_above_the_limit_then_only_decreases_pass() {
        MetricUsage set = tally.allocations().set(new SetAllocation(user, SEATS, BigDecimal.valueOf(7),
                Optional.empty()));

        assertThat(set.used()).isEqualByComparingTo("7");
        assertThat(set.status()).isEqualTo(MetricStatus.EXCEEDED);
        assertThat(change(SEATS, 1, null)).isInstanceOf(Outcome.Refused.class);
        assertThat(change(SEATS, -3, null).orElseThrow().used()).isEqualByComparingTo("4");
        assertThat(change(SEATS, 1, null).orElseThrow().used()).isEqualByComparingTo("5");
    }

    @Test
    void R72_a_downgrade_keeps_the_value_and_refuses_increases_until_it_is_back_under() {
        change(SEATS, 3, null);

        tally.users().changePlan(user, solo);

        assertThat(seats().used()).isEqualByComparingTo("3");
        assertThat(seats().limit()).hasValueSatisfying(l -> assertThat(l).isEqualByComparingTo("1"));
        assertThat(change(SEATS, 1, null)).isInstanceOf(Outcome.Refused.class);
        change(SEATS, -3, null);
        assertThat(change(SEATS, 1, null)).isInstanceOf(Outcome.Done.class);
    }

    @Test
    void R72_an_allocation_is_not_reset_by_a_new_period() {
        change(SEATS, 4, null);

        clock.advance(Duration.ofDays(45));

        assertThat(seats().used()).isEqualByComparingTo("4");
        assertThat(tally.billing().overview(user, Optional.empty()).allocations())
                .anySatisfy(a -> {
                    assertThat(a.metric()).isEqualTo(SEATS);
                    assertThat(a.used()).isEqualByComparingTo("4");
                });
    }

    @Test
    void R72_a_metered_metric_is_not_an_allocation() {
        assertThatThrownBy(() -> change(MetricKey.RUNS, 1, null)).extracting("code").isEqualTo("not_an_allocation");
    }

    @Test
    void R70_entitlements_answer_for_allocations_without_a_reset() {
        change(SEATS, 4, null);

        Entitlement one = tally.entitlements().check(CheckEntitlement.ofOne(user, SEATS));
        Entitlement two = tally.entitlements().check(new CheckEntitlement(user, SEATS, BigDecimal.valueOf(2)));

        assertThat(one.kind()).isEqualTo(MetricKind.ALLOCATION);
        assertThat(one.allowed()).isTrue();
        assertThat(one.resetsAt()).isEmpty();
        assertThat(two.allowed()).isFalse();
        assertThat(two.denial().orElseThrow().code()).isEqualTo("seats_limit_exceeded");
        assertThat(tally.entitlements().all(user).entitlements()).extracting(e -> e.metric().value() + ":"
                + e.kind().wireName()).containsExactly("runs:metered", "projects:allocation", "seats:allocation");
    }

    @Test
    void R50_the_billing_overview_shows_every_allocation_of_the_plan() {
        change(PROJECTS, 12, null);

        assertThat(tally.billing().overview(user, Optional.empty()).allocations())
                .extracting(a -> a.metric().value() + "=" + a.used().stripTrailingZeros().toPlainString())
                .containsExactly("projects=12", "seats=0");
    }
}
