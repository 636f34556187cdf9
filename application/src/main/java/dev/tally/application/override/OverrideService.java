package dev.tally.application.override;

import dev.tally.application.port.PlanTermsRepository;
import dev.tally.application.port.Transactions;
import dev.tally.application.user.Accounts;
import dev.tally.domain.DomainException;
import dev.tally.domain.plan.PlanOverride;
import dev.tally.domain.plan.Feature;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;

/**
 * An operator's per-user overrides of the plan (R73): limits, allocations and features replaced
 * key by key, optionally until an instant. The override belongs to the user and survives plan
 * changes; a key it leaves out falls back to the plan.
 *
 * <pre>{@code
 * tally.overrides().put(user, new PlanOverride(new PlanLimits(Map.of(exports, Limit.of(5000))),
 *         PlanLimits.none(), Features.none(), Optional.empty()));
 * }</pre>
 */
public class OverrideService {

    private final Accounts accounts;
    private final PlanTermsRepository terms;
    private final Transactions transactions;
    private final Clock clock;

    @Inject
    public OverrideService(Accounts accounts, PlanTermsRepository terms, Transactions transactions, Clock clock) {
        this.accounts = accounts;
        this.terms = terms;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Sets the user's override, replacing the one it had: {@code 404 user_not_found},
     * {@code 400 invalid_expires_at} for an expiry not after now; nothing is stored then.
     */
    public PlanOverride put(UserId user, PlanOverride override) {
        return transactions.inTransaction(() -> {
            Plan plan = accounts.definedPlanOf(accounts.user(user));
            PlanOverride checked = override.checkedAt(clock.instant());
            checkAgainst(plan, checked);
            terms.saveOverride(user, checked);
            return checked;
        });
    }

    /**
     * Refuses an override that contradicts the plan in force (R73): a feature of another kind than
     * the plan's ({@code true} where the plan has a number) is {@code 400 invalid_feature}; a
     * limit of a metric the plan allocates, or the other way round, {@code 400 invalid_override}.
     */
    private static void checkAgainst(Plan plan, PlanOverride override) {
        override.features().byKey().forEach((key, feature) -> plan.features().of(key)
                .filter(defined -> defined.getClass() != feature.getClass())
                .ifPresent(defined -> {
                    throw DomainException.invalid("invalid_feature", "features." + key + " is "
                            + describe(defined) + " in plan " + plan.id() + "; its override must be too");
                }));
        override.limits().byMetric().keySet().stream().filter(plan::allocates).findFirst().ifPresent(metric -> {
            throw DomainException.invalid("invalid_override", metric + " is an allocation of plan " + plan.id()
                    + "; override it under allocations");
        });
        override.allocations().byMetric().keySet().stream().filter(m -> plan.limits().byMetric().containsKey(m))
                .findFirst().ifPresent(metric -> {
                    throw DomainException.invalid("invalid_override", metric + " is a metered limit of plan "
                            + plan.id() + "; override it under limits");
                });
    }

    private static String describe(Feature feature) {
        if (feature instanceof Feature.Flag) {
            return "a boolean (true or false)";
        }
        return feature instanceof Feature.Number ? "a number" : "a text";
    }

    /** The user's override as stored, expired or not; {@code 404 user_not_found}. */
    public Optional<PlanOverride> get(UserId user) {
        accounts.user(user);
        return terms.find(user).override();
    }

    /** Whether {@code override} applies now: {@code false} once its expiry has come. */
    public boolean applies(PlanOverride override) {
        return override.appliesAt(clock.instant());
    }

    /**
     * Removes the user's override, so the plan applies again, and answers it as it was;
     * {@code 404 no_override} when it has none.
     */
    public PlanOverride remove(UserId user) {
        return transactions.inTransaction(() -> {
            accounts.user(user);
            Optional<PlanOverride> removed = terms.find(user).override();
            if (removed.isEmpty() || !terms.deleteOverride(user)) {
                throw DomainException.notFound("no_override", "user " + user + " has no override");
            }
            return removed.get();
        });
    }
}
