package dev.tally.application.plan;

import dev.tally.application.port.PlanRepository;
import dev.tally.application.port.Transactions;
import dev.tally.domain.DomainException;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import jakarta.inject.Inject;
import java.util.List;

/** Plans: create or replace, read. A replaced plan applies at once to its users (R14). */
public class PlanService {

    private final PlanRepository plans;
    private final Transactions transactions;

    @Inject
    public PlanService(PlanRepository plans, Transactions transactions) {
        this.plans = plans;
        this.transactions = transactions;
    }

    /** Creates or replaces a plan. */
    public Plan put(Plan plan) {
        transactions.run(() -> plans.save(plan));
        return plan;
    }

    /** The plan, or {@code 404 plan_not_found}. */
    public Plan get(PlanId id) {
        return plans.find(id).orElseThrow(() -> notFound(id));
    }

    /** The answer for a plan that does not exist, or that a caller may not read (R60). */
    public static DomainException notFound(PlanId id) {
        return DomainException.notFound("plan_not_found", "no plan " + id);
    }

    /** Every plan, by id. */
    public List<Plan> list() {
        return plans.all();
    }
}
