package dev.tally.domain.user;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.period.BillingSchedule;
import dev.tally.domain.plan.PlanId;
import java.time.Instant;
import java.util.Objects;

/**
 * The metered subject: a plan, a billing schedule and a creation time. Every user has an anchor
 * from the moment it exists (R3).
 */
public record User(UserId id, PlanId planId, BillingSchedule billing, Instant createdAt) {

    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(billing, "billing");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The period containing {@code instant} (R1–R4). */
    public BillingPeriod periodAt(Instant instant) {
        return billing.periodAt(instant);
    }

    /** The same user on another plan; usage recorded so far stays (R14). */
    public User withPlan(PlanId plan) {
        return new User(id, plan, billing, createdAt);
    }

    /** The same user with a new billing schedule. */
    public User withBilling(BillingSchedule schedule) {
        return new User(id, planId, schedule, createdAt);
    }

    /** The user after a usage reset at {@code at} (R4). */
    public User reanchoredAt(Instant at) {
        return withBilling(billing.reanchoredAt(at));
    }
}
