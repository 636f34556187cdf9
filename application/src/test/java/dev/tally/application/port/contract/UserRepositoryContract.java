package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.UserRepository;
import dev.tally.domain.period.BillingCycle;
import dev.tally.domain.period.BillingSchedule;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** What every {@link UserRepository} promises: a user comes back with its whole schedule (R1–R4). */
public abstract class UserRepositoryContract {

    protected abstract UserRepository users();

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
    void R14_saving_a_user_again_replaces_it() {
        UserId id = newUser();
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        User user = new User(id, new PlanId("free"), BillingSchedule.of(BillingCycle.calendarMonth(created)), created);
        users().save(user);
        User changed = user.withPlan(new PlanId("pro")).reanchoredAt(Instant.parse("2026-02-10T00:00:00Z"));
        users().save(changed);

        assertThat(users().find(id)).contains(changed);
    }
}
