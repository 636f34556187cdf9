package dev.tally.application.port;

import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import java.util.List;
import java.util.Optional;

/** Plans by id. */
public interface PlanRepository {

    /** Creates or replaces the plan with this id. */
    void save(Plan plan);

    Optional<Plan> find(PlanId id);

    /** Every plan, by id. */
    List<Plan> all();
}
