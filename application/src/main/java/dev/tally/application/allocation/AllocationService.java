package dev.tally.application.allocation;

import dev.tally.application.event.EventRecorder;
import dev.tally.application.idempotency.IdempotentWrites;
import dev.tally.application.port.AllocationRepository;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.Accounts;
import dev.tally.domain.DomainException;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.math.BigDecimal;

/**
 * Allocations (R72): current counts such as seats or projects, limited by the plan's
 * {@code allocations} and never reset by a period. An increase is an atomic check-and-record
 * (R13) refused as R12 refuses usage; a decrease below zero is {@code 409 allocation_below_zero};
 * an operator may set a value outright. A plan change keeps every value: after a downgrade a value
 * above the new limit stays, shows {@code exceeded}, and refuses increases until it is back under.
 * Changes and settings are idempotent under their key (R20). A change or setting that takes the
 * value across a threshold of the plan's {@code alert_thresholds_percent}, and the first refused
 * increase, create their events in the same transaction (R75). Only the allocations a plan lists
 * exist (and those a user still holds from an earlier plan): any other name is
 * {@code 404 allocation_not_found}, so that no client can create values or events at will (R67).
 * Allocations count whole units.
 */
public class AllocationService {

    private final AllocationRepository allocations;
    private final Accounts accounts;
    private final IdempotentWrites writes;
    private final EventRecorder events;

    @Inject
    public AllocationService(AllocationRepository allocations, Accounts accounts, IdempotentWrites writes,
                             EventRecorder events) {
        this.allocations = allocations;
        this.accounts = accounts;
        this.writes = writes;
        this.events = events;
    }

    /** Raises or lowers an allocation; an increase past the limit is refused (R12, R13). */
    public Outcome<MetricUsage> change(ChangeAllocation command) {
        return writes.execute(command.user(), command.idempotencyKey(), command.fingerprint(), () -> {
            Plan plan = allocationPlan(command.user(), command.metric());
            AllocationRepository.Change change = allocations.add(command.user(), command.metric(), command.delta(),
                    plan.allocationLimitOf(command.metric()));
            if (change instanceof AllocationRepository.OverLimit over) {
                events.allocationDenied(command.user(), command.metric(), over, command.delta());
                return Outcome.refused((LimitExceeded) plan.decideAllocation(command.metric(), over.value(),
                        command.delta()));
            }
            if (change instanceof AllocationRepository.BelowZero below) {
                throw DomainException.conflict("allocation_below_zero", command.metric() + " is "
                        + below.value().toPlainString() + "; it cannot fall by " + command.delta().negate().toPlainString());
            }
            AllocationRepository.Changed changed = (AllocationRepository.Changed) change;
            events.allocationThresholdsReached(command.user(), plan, command.metric(), changed);
            return Outcome.done(plan.allocationOf(command.metric(), changed.value()));
        }, shown -> shown.used().toPlainString(), stored -> replay(command.user(), command.metric(), stored));
    }

    /** Sets an allocation outright (an operator's import), above the limit if need be. */
    public MetricUsage set(SetAllocation command) {
        return writes.executeAlways(command.user(), command.idempotencyKey(), command.fingerprint(), () -> {
            Plan plan = allocationPlan(command.user(), command.metric());
            AllocationRepository.Changed changed = allocations.set(command.user(), command.metric(), command.value());
            events.allocationThresholdsReached(command.user(), plan, command.metric(), changed);
            return plan.allocationOf(command.metric(), command.value());
        }, shown -> shown.used().toPlainString(), stored -> replay(command.user(), command.metric(), stored));
    }

    /** Every allocation the user's plan lists and every one it holds a value of, by metric. */
    public Allocations list(UserId id) {
        User user = accounts.user(id);
        Plan plan = accounts.planOf(user);
        return new Allocations(user.id(), plan.id(), plan.allocationsAt(allocations.values(user.id())));
    }

    /**
     * The user's plan ({@code 404 user_not_found}), which must not meter {@code metric}: a metric
     * is either summed per period or an allocation ({@code 400 not_an_allocation}). The plan must
     * list the allocation, or the user must still hold a value of it from an earlier plan (which
     * may then fall but not rise); any other name is {@code 404 allocation_not_found} and creates
     * nothing, no value and no event (R67).
     */
    private Plan allocationPlan(UserId id, MetricKey metric) {
        Plan plan = accounts.planOf(accounts.user(id));
        if (plan.limits().byMetric().containsKey(metric)) {
            throw DomainException.invalid("not_an_allocation", metric + " is a metered limit of plan " + plan.id()
                    + ", not an allocation");
        }
        if (!plan.allocates(metric) && allocations.value(id, metric).signum() == 0) {
            throw DomainException.notFound("allocation_not_found", "plan " + plan.id() + " has no allocation "
                    + metric + "; its allocations: " + plan.allocations().sorted().keySet());
        }
        return plan;
    }

    private MetricUsage replay(UserId id, MetricKey metric, String stored) {
        return accounts.planOf(accounts.user(id)).allocationOf(metric, new BigDecimal(stored));
    }
}
