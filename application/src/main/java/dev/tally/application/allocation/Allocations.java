package dev.tally.application.allocation;

import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.user.UserId;
import java.util.List;
import java.util.Objects;

/**
 * A user's allocations (R72): every allocation its plan lists plus every one it holds a value
 * of, each with {@code used} as its current value against the plan's limit.
 */
public record Allocations(UserId user, PlanId plan, List<MetricUsage> allocations) {

    public Allocations {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(plan, "plan");
        allocations = List.copyOf(allocations);
    }
}
