package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.PlanRepository;
import dev.tally.application.port.UserRepository;
import dev.tally.domain.period.BillingCycle;
import dev.tally.domain.period.BillingSchedule;
import dev.tally.domain.plan.DisplayNames;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link UserRepository} promises: a user comes back with its whole schedule (R1–R4). */
public abstract class UserRepositoryContract {

    protected abstract UserRepository users();

    /** The plans of the same storage as {@link #users()}. */
    protected abstract PlanRepository plans();

    @Test
    void R4_a_user_keeps_its_plan_and_every_cycle_of_its_schedule() {
        UserId id = newUser();
        Instant created = Instant.parse("2026-01-31T10:15:30.123456789Z");
        User user = new User(id, new PlanId("pro"),
                BillingSchedule.of(BillingCycle.anniversary(created, ZoneId.of("Europe/Berlin"))), created)
                .reanchoredAt(Instant.parse("2026-03-05T00:00:00Z"));
        users().save(user);

        assertThat(users().find(id)).contains(user);
        assertThat(users().find(newUser())).isEmpty();
    }

    @Test
    void R53_every_user_is_listed_with_its_whole_schedule() {
        UserId first = newUser();
        UserId second = newUser();
        Instant created = Instant.parse("2026-01-31T10:15:30Z");
        User reanchored = new User(first, new PlanId("pro"),
                BillingSchedule.of(BillingCycle.anniversary(created, ZoneId.of("Europe/Berlin"))), created)
                .reanchoredAt(Instant.parse("2026-03-05T00:00:00Z"));
        User plain = new User(second, new PlanId("free"), BillingSchedule.of(BillingCycle.calendarMonth(created)),
                created);
        users().save(reanchored);
        users().save(plain);

        // Other tests' users share the store: look at these two only.
        assertThat(users().all()).filteredOn(u -> u.id().equals(first) || u.id().equals(second))
                .containsExactlyInAnyOrder(reanchored, plain);
    }

    @Test
    void R14_saving_a_user_again_replaces_it() {
        UserId id = newUser();
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        User user = new User(id, new PlanId("free"), BillingSchedule.of(BillingCycle.calendarMonth(created)), created);
        users().save(user);
        User changed = user.withPlan(new PlanId("pro")).reanchoredAt(Instant.parse("2026-02-10T00:00:00Z"));
        users().save(changed);

        assertThat(users().find(id)).contains(changed);
    }

    @Test
    void R14_a_user_read_with_its_plan_is_what_the_two_reads_give() {
        PlanId planId = new PlanId("with-plan-" + newUser().value());
        plans().save(Plan.of(planId, "With plan", new PlanLimits(Map.of(new MetricKey("a.calls"), Limit.of(10),
                new MetricKey("b.calls"), Limit.of(20), new MetricKey("c.calls"), Limit.unlimited())))
                .withDisplayNames(new DisplayNames(Map.of(new MetricKey("a.calls"), "A calls"))));
        UserId id = newUser();
        Instant created = Instant.parse("2026-01-31T10:15:30Z");
        User user = new User(id, planId, BillingSchedule.of(BillingCycle.anniversary(created, ZoneId.of("Europe/Berlin"))),
                created).reanchoredAt(Instant.parse("2026-03-05T00:00:00Z"));
        users().save(user);
        UserId orphan = newUser();
        users().save(new User(orphan, new PlanId("missing-" + orphan.value()),
                BillingSchedule.of(BillingCycle.calendarMonth(created)), created));

        UserRepository.WithPlan read = users().findWithPlan(id, plans()).orElseThrow();
        assertThat(read.user()).isEqualTo(users().find(id).orElseThrow());
        assertThat(read.user().billing().cycles()).hasSize(user.billing().cycles().size());
        assertThat(read.plan()).isEqualTo(plans().find(planId)).isPresent();
        assertThat(read.plan().orElseThrow().limits().byMetric()).hasSize(3);
        assertThat(read.plan().orElseThrow().displayName(new MetricKey("a.calls"))).isEqualTo("A calls");
        assertThat(users().findWithPlan(orphan, plans()).orElseThrow().plan()).isEqualTo(Optional.empty());
        assertThat(users().findWithPlan(newUser(), plans())).isEmpty();
    }
}
