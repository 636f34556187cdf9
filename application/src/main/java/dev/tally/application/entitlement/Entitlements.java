package dev.tally.application.entitlement;

import dev.tally.domain.entitlement.Entitlement;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.user.UserId;
import java.util.List;
import java.util.Objects;

/** Every metric the user's plan limits, and every allocation, each checked for one more (R70). */
public record Entitlements(UserId user, PlanId plan, List<Entitlement> entitlements) {

    public Entitlements {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(plan, "plan");
        entitlements = List.copyOf(entitlements);
    }
}
