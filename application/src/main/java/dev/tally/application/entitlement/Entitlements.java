package dev.tally.application.entitlement;

import dev.tally.domain.entitlement.Entitlement;
import dev.tally.domain.entitlement.FeatureEntitlement;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.user.UserId;
import java.util.List;
import java.util.Objects;

/**
 * Every metric the user's plan limits, and every allocation, each checked for one more (R70), and
 * every feature of the plan in force (R73).
 */
public record Entitlements(UserId user, PlanId plan, List<Entitlement> entitlements,
                           List<FeatureEntitlement> features) {

    public Entitlements {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(plan, "plan");
        entitlements = List.copyOf(entitlements);
        features = List.copyOf(features);
    }

    /** Metrics and allocations without features. */
    public Entitlements(UserId user, PlanId plan, List<Entitlement> entitlements) {
        this(user, plan, entitlements, List.of());
    }
}
