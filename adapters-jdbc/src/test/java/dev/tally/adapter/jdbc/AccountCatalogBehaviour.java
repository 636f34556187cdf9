package dev.tally.adapter.jdbc;

import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.Accounts;
import dev.tally.domain.DomainException;
import dev.tally.domain.period.BillingCycle;
import dev.tally.domain.period.BillingSchedule;
import dev.tally.domain.plan.Features;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.plan.PlanOverride;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.ScheduledPlanChange;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node keeps the users, plans and terms it read while the database's account catalog number is
 * unchanged: every change made on any node is seen by the next read on every other (R14, R73).
 * Decisions are grouped (one lane) as on PostgreSQL by default, so grouped members' shared check is
 * held too.
 */
abstract class AccountCatalogBehaviour extends GroupingFixture {

    private static final MetricKey CALLS = new MetricKey("calls");
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");


    private static Accounts accounts(TallyStorage node, ManualClock clock) {
        return new Accounts(node.users(), node.plans(), node.planTerms(), clock);
    }

    private static Limit limitOn(Accounts accounts, UserId user) {
        return accounts.withPlan(user).plan().orElseThrow().limitOf(CALLS);
    }

    /** Stores a plan of {@code limit} calls and {@code user} on it, through {@code node}. */
    private static void subscribe(TallyStorage node, UserId user, String planId, long limit) {
        node.plans().save(plan(planId, limit));
        node.users().save(new User(user, new PlanId(planId), BillingSchedule.of(BillingCycle.calendarMonth(NOW)), NOW));
    }

    private static Plan plan(String id, long limit) {
        return Plan.of(new PlanId(id), id, new PlanLimits(Map.of(CALLS, Limit.of(limit))));
    }

    @Test
    void R14_R73_every_change_committed_on_one_node_is_seen_by_the_next_read_on_another() {
        ManualClock clock = new ManualClock(NOW);
        UserId user = newUser();
        String small = "small-" + user.value();
        String large = "large-" + user.value();
        TallyStorage writer = database().sharedOtherNode();
        writer.plans().save(plan(small, 10));
        writer.plans().save(plan(large, 500));
        User stored = new User(user, new PlanId(small), BillingSchedule.of(BillingCycle.calendarMonth(NOW)), NOW);
        writer.users().save(stored);
        Accounts reader = accounts(storage(), clock);
        assertThat(limitOn(reader, user)).isEqualTo(Limit.of(10));
        assertThat(limitOn(reader, user)).as("read again, unchanged").isEqualTo(Limit.of(10));

        writer.plans().save(plan(small, 3));
        assertThat(limitOn(reader, user)).as("the plan's limit lowered").isEqualTo(Limit.of(3));

        writer.planTerms().saveOverride(user, new PlanOverride(new PlanLimits(Map.of(CALLS, Limit.of(7))),
                PlanLimits.none(), Features.none(), Optional.empty()));
        assertThat(limitOn(reader, user)).as("an override").isEqualTo(Limit.of(7));

        writer.planTerms().deleteOverride(user);
        assertThat(limitOn(reader, user)).as("the override removed").isEqualTo(Limit.of(3));

        writer.planTerms().saveScheduled(user, new ScheduledPlanChange(new PlanId(large), NOW.plusSeconds(3_600)));
        assertThat(limitOn(reader, user)).as("a change booked for later").isEqualTo(Limit.of(3));
        clock.advance(Duration.ofHours(2));
        assertThat(limitOn(reader, user)).as("the booked change once its instant has come").isEqualTo(Limit.of(500));

        writer.planTerms().deleteScheduled(user);
        assertThat(limitOn(reader, user)).as("the booked change cancelled").isEqualTo(Limit.of(3));

        writer.users().save(stored.withPlan(new PlanId(large)));
        assertThat(limitOn(reader, user)).as("the user moved to another plan").isEqualTo(Limit.of(500));
    }

    @Test
    void R14_a_limit_lowered_on_one_node_refuses_the_next_decision_on_another() {
        ManualClock clock = new ManualClock(NOW);
        UserId user = newUser();
        String planId = "lowered-" + user.value();
        TallyStorage other = database().sharedOtherNode();
        subscribe(other, user, planId, 10);
        Tally node = Tally.create(storage(), clock, Tally.Settings.DEFAULTS);
        for (int i = 0; i < 4; i++) {
            assertThat(record(node, user, "before-" + i)).isInstanceOf(Outcome.Done.class);
        }

        other.plans().save(plan(planId, 4));

        assertThat(record(node, user, "after")).as("the fifth call over the lowered limit of 4")
                .isInstanceOf(Outcome.Refused.class);
    }

    @Test
    void R14_decisions_grouped_into_one_commit_see_a_limit_lowered_on_another_node_before_they_began()
            throws Exception {
        ManualClock clock = new ManualClock(NOW);
        UserId user = newUser();
        String planId = "grouped-" + user.value();
        TallyStorage other = database().sharedOtherNode();
        subscribe(other, user, planId, 100);
        Tally node = Tally.create(storage(), clock, Tally.Settings.DEFAULTS);
        assertThat(record(node, user, "first")).as("kept: a limit of 100").isInstanceOf(Outcome.Done.class);
        // A group held open, so that every decision below queues behind it and runs in the next group.
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        UserId holder = newUser();
        Future<Object> held = callers.submit(() -> transactions().inGroupedTransaction(holder.value(), () -> {
            running.countDown();
            await(release);
            return null;
        }));
        assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();
        long groupsBefore = transactions().groupCommits();

        other.plans().save(plan(planId, 10));
        List<Future<Outcome<?>>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String key = "call-" + i;
            calls.add(queued(() -> callers.submit(() -> record(node, user, key))));
        }
        release.countDown();
        held.get(20, TimeUnit.SECONDS);
        int admitted = 0;
        for (Future<Outcome<?>> call : calls) {
            admitted += call.get(60, TimeUnit.SECONDS) instanceof Outcome.Done ? 1 : 0;
        }

        assertThat(transactions().groupCommits() - groupsBefore).as("the held group, then one for the 20")
                .isEqualTo(2);
        assertThat(admitted).as("admitted after the limit of 100 was lowered to 10 with one used").isEqualTo(9);
    }

    @Test
    void R14_what_a_rolled_back_change_let_a_node_read_never_passes_for_current() {
        ManualClock clock = new ManualClock(NOW);
        UserId user = newUser();
        String planId = "rolled-back-" + user.value();
        subscribe(storage(), user, planId, 10);
        Accounts reader = accounts(storage(), clock);

        assertThatThrownBy(() -> storage().transactions().run(() -> {
            storage().plans().save(plan(planId, 3));
            assertThat(limitOn(reader, user)).as("its own change, inside the transaction").isEqualTo(Limit.of(3));
            throw new IllegalStateException("the use case fails after reading");
        })).hasMessageContaining("fails after reading");
        // Another change commits: the catalog's number moves on, and must not land on the one the
        // rolled-back change had drawn.
        storage().plans().save(plan("other-" + user.value(), 1));

        assertThat(limitOn(reader, user)).as("the limit as committed").isEqualTo(Limit.of(10));
    }

    @Test
    void what_a_node_kept_answers_until_any_account_changes_then_it_reads_again() {
        ManualClock clock = new ManualClock(NOW);
        UserId user = newUser();
        String planId = "kept-" + user.value();
        subscribe(storage(), user, planId, 10);
        Accounts reader = accounts(storage(), clock);
        assertThat(limitOn(reader, user)).isEqualTo(Limit.of(10));
        // Behind the storage's back, so the catalog's number stays: the node answers what it kept,
        // which is what spares a decision reading its user, plan and terms again.
        database().storage().jdbi().useHandle(handle -> {
            handle.execute("DELETE FROM user_billing_cycles WHERE user_id = ?", user.value());
            handle.execute("DELETE FROM users WHERE id = ?", user.value());
        });
        assertThat(limitOn(reader, user)).isEqualTo(Limit.of(10));

        storage().plans().save(plan("unrelated-" + user.value(), 1));

        assertThatThrownBy(() -> reader.withPlan(user)).isInstanceOf(DomainException.class)
                .hasMessageContaining("no user");
    }

    private static Outcome<?> record(Tally node, UserId user, String key) {
        return node.usage().record(new RecordUsage(user, List.of(new UsageItem(CALLS, BigDecimal.ONE, Optional.empty(),
                new IdempotencyKey(key), Map.of())), true));
    }
}
