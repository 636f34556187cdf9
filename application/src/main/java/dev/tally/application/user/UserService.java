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
import dev.tally.application.port.PlanTermsRepository;
import dev.tally.domain.user.ScheduledPlanChange;
import java.util.Objects;
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
    private final PlanTermsRepository terms;

    /** Users without scheduled plan changes. */
    public UserService(UserRepository users, PlanRepository plans, UsageLedger ledger, Transactions transactions,
                       IdempotentWrites writes, Clock clock) {
        this(users, plans, ledger, transactions, writes, clock, null);
    }

    /** Users whose plan changes may be scheduled (R73), kept in {@code terms}. */
    @Inject
    public UserService(UserRepository users, PlanRepository plans, UsageLedger ledger, Transactions transactions,
                       IdempotentWrites writes, Clock clock, PlanTermsRepository terms) {
        this.users = users;
        this.plans = plans;
        this.ledger = ledger;
        this.transactions = transactions;
        this.accounts = terms == null ? new Accounts(users, plans) : new Accounts(users, plans, terms, clock);
        this.writes = writes;
        this.clock = clock;
        this.terms = terms;
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
            User user = settled(existing.get(), now).withPlan(command.plan());
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

    /**
     * {@code stored} with a scheduled change whose instant has come written down (R73), so that a
     * plan written now is not overturned by it; a pending one stays.
     */
    private User settled(User stored, Instant now) {
        if (terms == null) {
            return stored;
        }
        Optional<ScheduledPlanChange> scheduled = terms.find(stored.id()).scheduled();
        if (scheduled.filter(change -> change.appliedBy(now)).isPresent()) {
            terms.deleteScheduled(stored.id());
            return scheduled.get().applyTo(stored, now);
        }
        return stored;
    }

    /**
     * Books a change to {@code plan} for {@code at} (R73): it applies at that instant without
     * anything running, and until then the overview shows it pending. {@code at} empty is the end
     * of the user's current period. An unknown plan is {@code 400 unknown_plan}, an instant not
     * after now {@code 400 invalid_at}; nothing is stored then. It replaces a pending change.
     */
    public ScheduledPlanChange schedulePlanChange(UserId id, PlanId plan, Optional<Instant> at,
                                                  Optional<IdempotencyKey> idempotencyKey) {
        Objects.requireNonNull(terms, "terms");
        Fingerprint fingerprint = Fingerprint.of("schedule-plan").with("plan_id", plan.value())
                .with("at", at.map(Instant::toString).orElse("period_end"));
        User found = writes.executeAlways(id, idempotencyKey, fingerprint.hex(), () -> {
            requirePlan(plan);
            Instant now = clock.instant();
            User user = settled(users.find(id).orElseThrow(() -> DomainException.notFound("user_not_found",
                    "no user " + id)), now);
            ScheduledPlanChange change = ScheduledPlanChange.booked(plan, at.orElseGet(() -> user.periodAt(now).end()),
                    now);
            users.save(user);
            terms.saveScheduled(id, change);
            return user;
        }, user -> user.id().value(), userId -> accounts.user(id));
        return terms.find(found.id()).scheduled().orElseThrow(() -> DomainException.conflict("plan_change_applied",
                "the scheduled change of " + id + " has already applied or was cancelled"));
    }

    /** The user's pending plan change, empty when none is pending (one that has applied is not). */
    public Optional<ScheduledPlanChange> pendingPlanChange(UserId id) {
        accounts.user(id);
        if (terms == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return terms.find(id).scheduled().filter(change -> !change.appliedBy(now));
    }

    /**
     * Cancels the user's pending plan change (R73): {@code 404 no_pending_plan_change} when none is
     * pending; one whose instant has come has applied and cannot be cancelled. Answers the change
     * as it was.
     */
    public ScheduledPlanChange cancelPlanChange(UserId id) {
        return transactions.inTransaction(() -> {
            Optional<ScheduledPlanChange> pending = pendingPlanChange(id);
            if (pending.isEmpty() || !terms.deleteScheduled(id)) {
                throw DomainException.notFound("no_pending_plan_change", "user " + id + " has no pending plan change");
            }
            return pending.get();
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
            if (terms != null && terms.find(id).scheduled().isPresent()) {
                // An immediate change replaces a pending one (R14, R73).
                terms.deleteScheduled(id);
            }
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
