package dev.tally.application.user;

import dev.tally.application.port.PlanRepository;
import dev.tally.application.port.PlanTermsRepository;
import dev.tally.application.port.UserRepository;
import dev.tally.domain.DomainException;
import dev.tally.domain.plan.EffectivePlan;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.user.ScheduledPlanChange;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Looks up a user and the plan in force for it, or says clearly which one does not exist. The
 * plan in force is the user's plan after any scheduled change whose instant has come, with the
 * user's override layered over it while it applies (R73): every use case that enforces, checks or
 * shows a limit reads it here, at the clock's instant.
 */
public class Accounts {

    private final UserRepository users;
    private final PlanRepository plans;
    private final PlanTermsRepository terms;
    private final Clock clock;

    /** Accounts where users have their plans as they are, without overrides or scheduled changes. */
    public Accounts(UserRepository users, PlanRepository plans) {
        this(users, plans, NO_TERMS, Clock.systemUTC());
    }

    @Inject
    public Accounts(UserRepository users, PlanRepository plans, PlanTermsRepository terms, Clock clock) {
        this.users = users;
        this.plans = plans;
        this.terms = terms;
        this.clock = clock;
    }

    /** The user at the clock's instant ({@code 404 user_not_found}): on its scheduled plan once that applies. */
    public User user(UserId id) {
        User stored = users.find(id).orElseThrow(() -> DomainException.notFound("user_not_found", "no user " + id));
        return ScheduledPlanChange.userAt(stored, terms.find(id).scheduled(), clock.instant());
    }

    /** The plan in force for {@code user} at the clock's instant; a user always references an existing plan. */
    public Plan planOf(User user) {
        return planAt(user, clock.instant());
    }

    /** The plan in force for {@code user} at {@code at}: its scheduled plan once that applies, overridden (R73). */
    public Plan planAt(User user, Instant at) {
        PlanTermsRepository.Terms found = terms.find(user.id());
        User current = ScheduledPlanChange.userAt(user, found.scheduled(), at);
        return EffectivePlan.at(existing(current, plans.find(current.planId())), found.override(), at);
    }

    /** The plan {@code user} is on at the clock's instant, as its operator defined it, without its override. */
    public Plan definedPlanOf(User user) {
        User current = ScheduledPlanChange.userAt(user, terms.find(user.id()).scheduled(), clock.instant());
        return existing(current, plans.find(current.planId()));
    }

    /**
     * The user ({@code 404 user_not_found}) and the plan in force for it, read together: what a
     * decision needs, in one read where storage can join them.
     */
    public UserRepository.WithPlan withPlan(UserId id) {
        return inForce(id, users.findAccount(id, plans, terms));
    }

    /**
     * The user and the plan in force for it as this node last read them, which may be out of date:
     * enough to name what a decision will touch before it runs (the billing periods of its records),
     * never to decide with, for which {@link #withPlan} is read again ({@code 404 user_not_found}).
     */
    public UserRepository.WithPlan withPlanAsKept(UserId id) {
        return inForce(id, users.findAccountAsKept(id, plans, terms));
    }

    private UserRepository.WithPlan inForce(UserId id, Optional<UserRepository.Account> read) {
        Instant now = clock.instant();
        UserRepository.Account account = read
                .orElseThrow(() -> DomainException.notFound("user_not_found", "no user " + id));
        UserRepository.WithPlan found = account.withPlan();
        PlanTermsRepository.Terms userTerms = account.terms();
        if (userTerms.equals(PlanTermsRepository.Terms.NONE)) {
            existing(found.user(), found.plan());
            return found;
        }
        User user = ScheduledPlanChange.userAt(found.user(), userTerms.scheduled(), now);
        Plan plan = user.planId().equals(found.user().planId()) ? existing(user, found.plan())
                : existing(user, plans.find(user.planId()));
        return new UserRepository.WithPlan(user, Optional.of(EffectivePlan.at(plan, userTerms.override(), now)));
    }

    /** The user's override and scheduled change as stored. */
    public PlanTermsRepository.Terms termsOf(UserId id) {
        return terms.find(id);
    }

    private static Plan existing(User user, Optional<Plan> plan) {
        return plan.orElseThrow(() ->
                new IllegalStateException("user " + user.id() + " references missing plan " + user.planId()));
    }

    /** Terms of a storage that keeps none. */
    private static final PlanTermsRepository NO_TERMS = new PlanTermsRepository() {
        @Override
        public Terms find(UserId user) {
            return Terms.NONE;
        }

        @Override
        public void saveOverride(UserId user, dev.tally.domain.plan.PlanOverride override) {
            throw new UnsupportedOperationException("no overrides here");
        }

        @Override
        public boolean deleteOverride(UserId user) {
            return false;
        }

        @Override
        public void saveScheduled(UserId user, ScheduledPlanChange change) {
            throw new UnsupportedOperationException("no scheduled changes here");
        }

        @Override
        public boolean deleteScheduled(UserId user) {
            return false;
        }
    };
}
