package dev.tally.application.user;

import dev.tally.application.port.PlanRepository;
import dev.tally.application.port.UserRepository;
import dev.tally.domain.DomainException;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.util.Optional;

/** Looks up a user and its plan, or says clearly which one does not exist. */
public class Accounts {

    private final UserRepository users;
    private final PlanRepository plans;

    @Inject
    public Accounts(UserRepository users, PlanRepository plans) {
        this.users = users;
        this.plans = plans;
    }

    /** The user, or {@code 404 user_not_found}. */
    public User user(UserId id) {
        return users.find(id).orElseThrow(() -> DomainException.notFound("user_not_found", "no user " + id));
    }

    /** The user's current plan; a user always references an existing plan. */
    public Plan planOf(User user) {
        return existing(user, plans.find(user.planId()));
    }

    /**
     * The user ({@code 404 user_not_found}) and its current plan, read together: what a decision
     * needs, in one read where storage can join them.
     */
    public UserRepository.WithPlan withPlan(UserId id) {
        UserRepository.WithPlan found = users.findWithPlan(id, plans)
                .orElseThrow(() -> DomainException.notFound("user_not_found", "no user " + id));
        existing(found.user(), found.plan());
        return found;
    }

    private static Plan existing(User user, Optional<Plan> plan) {
        return plan.orElseThrow(() ->
                new IllegalStateException("user " + user.id() + " references missing plan " + user.planId()));
    }
}
