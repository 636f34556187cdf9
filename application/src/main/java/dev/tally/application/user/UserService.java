package dev.tally.application.user;

import dev.tally.application.idempotency.IdempotentWrites;
import dev.tally.application.port.PlanRepository;
import dev.tally.application.port.Transactions;
import dev.tally.application.port.UsageLedger;
import dev.tally.application.port.UserRepository;
import dev.tally.domain.DomainException;
import dev.tally.domain.Fingerprint;
import dev.tally.domain.period.BillingCycle;
import dev.tally.domain.period.BillingSchedule;
import dev.tally.domain.period.CycleKind;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/** Users: create or update, change plan (R14), reset the billing period (R4). */
public class UserService {

    private final UserRepository users;
    private final PlanRepository plans;
    private final UsageLedger ledger;
    private final Transactions transactions;
    private final Accounts accounts;
    private final IdempotentWrites writes;
    private final Clock clock;

    @Inject
    public UserService(UserRepository users, PlanRepository plans, UsageLedger ledger, Transactions transactions,
                       IdempotentWrites writes, Clock clock) {
        this.users = users;
        this.plans = plans;
        this.ledger = ledger;
        this.transactions = transactions;
        this.accounts = new Accounts(users, plans);
        this.writes = writes;
        this.clock = clock;
    }

    /**
     * Creates or updates a user. A new user is anchored at its creation unless an anchor is given
     * (R3); a calendar-month user's periods are whole months from the start, even when it is
     * created mid-month (R5). Changing an existing user's billing replaces its schedule and refiles its usage into
     * the new periods.
     */
    public User put(PutUser command) {
        return transactions.inTransaction(() -> {
            requirePlan(command.plan());
            Instant now = clock.instant();
            Optional<User> existing = users.find(command.user());
            if (existing.isEmpty()) {
                BillingCycle cycle = BillingCycle.starting(command.cycle().orElse(CycleKind.CALENDAR_MONTH),
                        command.anchor().orElse(now), command.timeZone().orElse(ZoneOffset.UTC));
                User created = new User(command.user(), command.plan(), BillingSchedule.of(cycle), now);
                users.save(created);
                return created;
            }
            User user = existing.get().withPlan(command.plan());
            BillingCycle current = user.billing().latest();
            BillingCycle wanted = new BillingCycle(command.cycle().orElse(current.kind()),
                    command.anchor().orElse(current.anchor()), command.timeZone().orElse(current.zone()));
            if (!wanted.equals(current)) {
                user = user.withBilling(BillingSchedule.of(BillingCycle.starting(wanted.kind(), wanted.anchor(),
                        wanted.zone())));
                ledger.refile(user.id(), user.billing()::periodAt);
            }
            users.save(user);
            return user;
        });
    }

    /** Moves the user to another plan; it applies at once and usage so far stays (R14). */
    public User changePlan(UserId id, PlanId plan) {
        return changePlan(id, plan, Optional.empty());
    }

    /**
     * {@link #changePlan(UserId, PlanId)} once per idempotency key (R20): a retry answers the user
     * again, and the same key with another plan is {@code 422 idempotency_key_reused}.
     */
    public User changePlan(UserId id, PlanId plan, Optional<IdempotencyKey> idempotencyKey) {
        return writes.executeAlways(id, idempotencyKey, Fingerprint.of("change-plan").with("plan_id", plan.value())
                .hex(), () -> {
            requirePlan(plan);
            User user = accounts.user(id).withPlan(plan);
            users.save(user);
            return user;
        }, user -> user.id().value(), userId -> accounts.user(id));
    }

    /**
     * Starts a new period now; earlier usage stops counting (R4). A retry with the same key does
     * not start yet another period.
     */
    public User resetBillingPeriod(ResetBillingPeriod command) {
        UserId id = command.user();
        return writes.executeAlways(id, command.idempotencyKey(), command.fingerprint(), () -> {
            User user = accounts.user(id).reanchoredAt(clock.instant());
            users.save(user);
            return user;
        }, user -> user.id().value(), userId -> accounts.user(id));
    }

    /** The user, or {@code 404 user_not_found}. */
    public User get(UserId id) {
        return accounts.user(id);
    }

    private void requirePlan(PlanId plan) {
        if (plans.find(plan).isEmpty()) {
            throw DomainException.invalid("unknown_plan", "no plan " + plan + "; create it first");
        }
    }

    /** The zone ids a client may name, or {@code 400 invalid_time_zone}. */
    public static ZoneId zone(String name) {
        try {
            return ZoneId.of(name);
        } catch (RuntimeException e) {
            throw DomainException.invalid("invalid_time_zone", "unknown time zone: " + name);
        }
    }
}
