package dev.tally.domain.user;

import dev.tally.domain.DomainException;
import dev.tally.domain.plan.PlanId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A plan change booked for a later instant (R73), such as a downgrade at the end of the period.
 * It applies lazily: from {@code at} on, the user is on {@code plan} whether or not anything has
 * written it down, so no scheduler can miss it (as R37). Until then it is pending.
 */
public record ScheduledPlanChange(PlanId plan, Instant at) {

    public ScheduledPlanChange {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(at, "at");
    }

    /**
     * A change to {@code plan} booked at {@code now} for {@code at}: an instant that is not after
     * {@code now} is {@code 400 invalid_at}, since an immediate change is what R14 does.
     */
    public static ScheduledPlanChange booked(PlanId plan, Instant at, Instant now) {
        if (!at.isAfter(now)) {
            throw DomainException.invalid("invalid_at", "at must be after now (" + now + ") or \"period_end\": " + at);
        }
        return new ScheduledPlanChange(plan, at);
    }

    /** Whether the change has applied by {@code instant}. */
    public boolean appliedBy(Instant instant) {
        return !instant.isBefore(at);
    }

    /** {@code user} as it is at {@code instant}: on this change's plan once it has applied. */
    public User applyTo(User user, Instant instant) {
        return appliedBy(instant) ? user.withPlan(plan) : user;
    }

    /** {@code user} at {@code instant} under {@code change}, if any. */
    public static User userAt(User user, Optional<ScheduledPlanChange> change, Instant instant) {
        return change.map(c -> c.applyTo(user, instant)).orElse(user);
    }
}
