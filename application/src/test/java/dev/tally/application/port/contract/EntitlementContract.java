package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import dev.tally.application.entitlement.CheckEntitlement;
import dev.tally.application.entitlement.Entitlements;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.run.StartRun;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.PutUser;
import dev.tally.domain.DomainException;
import dev.tally.domain.entitlement.Entitlement;
import dev.tally.domain.entitlement.MetricKind;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricStatus;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Entitlement checks (R70) on every storage: they answer from the rollups an enforced write
 * checks, agree with that write, and record nothing.
 */
public abstract class EntitlementContract {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final MetricKey EXPORTS = new MetricKey("exports");
    private static final MetricKey TOKENS = new MetricKey("tokens");

    protected abstract TallyStorage storage();

    private final ManualClock clock = new ManualClock(NOW);
    private Tally tally;
    private UserId user;
    private PlanId plan;

    @BeforeEach
    void setUp() {
        tally = Tally.create(storage(), clock, Tally.Settings.DEFAULTS);
        plan = new PlanId(newId("plan"));
        tally.plans().put(Plan.of(plan, "Checks", new PlanLimits(Map.of(EXPORTS, Limit.of(10),
                MetricKey.RUNS, Limit.of(2), TOKENS, Limit.unlimited()))));
        user = newUser();
        tally.users().put(PutUser.of(user, plan));
    }

    private Outcome<?> record(MetricKey metric, long quantity, boolean enforce) {
        return tally.usage().record(new RecordUsage(user, List.of(new UsageItem(metric, BigDecimal.valueOf(quantity),
                Optional.empty(), new IdempotencyKey(newId("k")), Map.of())), enforce));
    }

    private Entitlement check(MetricKey metric, long quantity) {
        return tally.entitlements().check(new CheckEntitlement(user, metric, BigDecimal.valueOf(quantity)));
    }

    @Test
    void R70_a_check_within_the_limit_is_allowed_and_shows_the_figures_it_used() {
        record(EXPORTS, 7, false);

        Entitlement three = check(EXPORTS, 3);

        assertThat(three.allowed()).isTrue();
        assertThat(three.kind()).isEqualTo(MetricKind.METERED);
        assertThat(three.requested()).isEqualByComparingTo("3");
        assertThat(three.usage().used()).isEqualByComparingTo("7");
        assertThat(three.usage().limit()).hasValueSatisfying(l -> assertThat(l).isEqualByComparingTo("10"));
        assertThat(three.usage().remaining()).hasValueSatisfying(r -> assertThat(r).isEqualByComparingTo("3"));
        assertThat(three.usage().status()).isEqualTo(MetricStatus.OK);
        assertThat(three.resetsAt()).contains(Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(three.denial()).isEmpty();
    }

    @Test
    void R70_a_refused_check_explains_itself_as_the_denied_write_would() {
        record(EXPORTS, 7, false);

        Entitlement four = check(EXPORTS, 4);
        Outcome<?> write = record(EXPORTS, 4, true);

        assertThat(four.allowed()).isFalse();
        LimitExceeded denial = four.denial().orElseThrow();
        assertThat(write).isInstanceOfSatisfying(Outcome.Refused.class, refused -> {
            LimitExceeded writeDenial = (LimitExceeded) refused.refusal();
            assertThat(denial.code()).isEqualTo(writeDenial.code()).isEqualTo("exports_limit_exceeded");
            assertThat(denial.message()).isEqualTo(writeDenial.message());
            assertThat(denial.currentUsage()).isEqualByComparingTo(writeDenial.currentUsage());
            assertThat(denial.resetsAt()).isEqualTo(writeDenial.resetsAt());
        });
    }

    @Test
    void R70_a_check_records_nothing_and_agrees_with_the_enforced_write_that_follows() {
        for (int i = 0; i < 12; i++) {
            boolean allowed = check(EXPORTS, 1).allowed();
            boolean granted = record(EXPORTS, 1, true) instanceof Outcome.Done;
            assertThat(granted).as("write %d", i).isEqualTo(allowed);
        }
        assertThat(check(EXPORTS, 1).usage().used()).isEqualByComparingTo("10");
    }

    @Test
    void R70_reserved_runs_count_in_a_check() {
        Outcome<ReportRun> first = tally.runs().start(StartRun.of(user));
        assertThat(first).isInstanceOf(Outcome.Done.class);

        assertThat(check(MetricKey.RUNS, 1).allowed()).isTrue();
        assertThat(check(MetricKey.RUNS, 2).allowed()).isFalse();
        assertThat(check(MetricKey.RUNS, 1).usage().reserved()).isEqualByComparingTo("1");
    }

    @Test
    void R70_a_metric_the_plan_does_not_limit_is_always_allowed() {
        record(new MetricKey("pages"), 1_000, false);

        Entitlement pages = check(new MetricKey("pages"), 1_000_000);

        assertThat(pages.allowed()).isTrue();
        assertThat(pages.usage().limit()).isEmpty();
        assertThat(pages.usage().used()).isEqualByComparingTo("1000");
    }

    @Test
    void R70_all_entitlements_list_every_metric_of_the_plan_for_one_more() {
        record(EXPORTS, 10, false);

        Entitlements all = tally.entitlements().all(user);

        assertThat(all.plan()).isEqualTo(plan);
        assertThat(all.entitlements()).extracting(e -> e.metric().value())
                .containsExactly("exports", "runs", "tokens");
        assertThat(all.entitlements()).extracting(Entitlement::allowed).containsExactly(false, true, true);
        assertThat(all.entitlements()).allSatisfy(e -> assertThat(e.requested()).isEqualByComparingTo("1"));
    }

    @Test
    void R70_bad_checks_are_refused_and_an_unknown_user_is_not_found() {
        assertThatThrownBy(() -> check(EXPORTS, 0)).isInstanceOf(DomainException.class)
                .extracting("code").isEqualTo("invalid_quantity");
        assertThatThrownBy(() -> tally.entitlements().check(new CheckEntitlement(user, MetricKey.RUNS,
                new BigDecimal("0.5")))).extracting("code").isEqualTo("invalid_quantity");
        assertThatThrownBy(() -> tally.entitlements().check(CheckEntitlement.ofOne(newUser(), EXPORTS)))
                .extracting("code").isEqualTo("user_not_found");
    }
}
