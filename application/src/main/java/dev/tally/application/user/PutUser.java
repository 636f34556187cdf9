package dev.tally.application.user;

import dev.tally.domain.period.CycleKind;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * Create or update a user. Billing fields left empty keep the user's current billing (or, for a
 * new user, default to a calendar month in UTC anchored at its creation).
 */
public record PutUser(UserId user, PlanId plan, Optional<CycleKind> cycle, Optional<Instant> anchor,
                      Optional<ZoneId> timeZone) {

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public PutUser {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(cycle, "cycle");
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(timeZone, "timeZone");
    }

    /** A user on {@code plan} with default billing. */
    public static PutUser of(UserId user, PlanId plan) {
        return new PutUser(user, plan, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
