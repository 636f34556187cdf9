package dev.tally.application.port;

import dev.tally.domain.plan.Plan;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import java.util.List;
import java.util.Objects;
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
     * The user with its current plan and its terms (R73), read together: what every decision
     * needs. Storage may answer from what it read before only when it has made sure, in this call,
     * that nothing of users, plans or terms has changed since, so that a change committed before
     * the call is always seen (R14). By default {@link #findWithPlan}, then {@code terms}.
     *
     * @param plans where the plan is looked up when this repository does not read it itself
     * @param terms where the user's terms are looked up when this repository does not read them itself
     */
    default Optional<Account> findAccount(UserId id, PlanRepository plans, PlanTermsRepository terms) {
        return findWithPlan(id, plans).map(found -> new Account(found, terms.find(id)));
    }

    /**
     * What {@link #findAccount} answered last on this node, possibly out of date: storage that keeps
     * nothing reads it as {@link #findAccount} does (the default). Good for naming what a decision
     * will touch before it runs (the user's billing periods), never for deciding: the decision
     * reads {@link #findAccount} again.
     */
    default Optional<Account> findAccountAsKept(UserId id, PlanRepository plans, PlanTermsRepository terms) {
        return findAccount(id, plans, terms);
    }

    /** A user beside its plan and its terms (override and scheduled change) as stored, read together. */
    record Account(WithPlan withPlan, PlanTermsRepository.Terms terms) {

        public Account {
            Objects.requireNonNull(withPlan, "withPlan");
            Objects.requireNonNull(terms, "terms");
        }
    }

    /**
     * A user beside its plan as read with it; the plan is empty only when the user references
     * a plan that does not exist.
     */
    record WithPlan(User user, Optional<Plan> plan) {
    }
}
