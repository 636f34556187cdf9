package dev.tally.application.billing;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.user.UserId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of the operator's list (R53), worst first; {@code nextCursor} is empty on the last page.
 */
public record UserList(List<Standing> users, Optional<String> nextCursor) {

    public UserList {
        users = List.copyOf(users);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }

    /**
     * A user in its current period and its worst metric: the highest status, then the highest
     * percent; empty when its plan limits nothing and it has used nothing.
     */
    public record Standing(UserId user, PlanId plan, BillingPeriod period, Optional<MetricUsage> worst) {
        public Standing {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(period, "period");
            Objects.requireNonNull(worst, "worst");
        }
    }
}
