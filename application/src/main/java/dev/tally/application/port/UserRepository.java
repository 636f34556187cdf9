package dev.tally.application.port;

import dev.tally.domain.plan.Plan;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import java.util.List;
import java.util.Optional;

/** Users by id, with their plan and billing schedule. */
public interface UserRepository {

    /** Creates or replaces the user with this id. */
    void save(User user);

    Optional<User> find(UserId id);

    /** Every user, in no particular order: what the operator's list is built from (R53). */
    List<User> all();

    /**
     * The user with its current plan, read together: storage that can join them does so in one
     * round trip. By default the user, then its plan from {@code plans}.
     *
     * @param plans where the plan is looked up when this repository does not read it itself
     */
    default Optional<WithPlan> findWithPlan(UserId id, PlanRepository plans) {
        return find(id).map(user -> new WithPlan(user, plans.find(user.planId())));
    }

    /**
     * A user beside its plan as read with it; the plan is empty only when the user references
     * a plan that does not exist.
     */
    record WithPlan(User user, Optional<Plan> plan) {
    }
}
